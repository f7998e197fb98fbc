/** Form fields with a visible label tied to the control, and an optional hint read with it. */
import type { ComponentChildren } from "preact";

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
}

function Label({ id, label, hint }: FieldProps) {
  return (
    <>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </>
  );
}

interface InputProps extends FieldProps {
  value: string;
  onInput: (value: string) => void;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  min?: string | number;
  max?: string | number;
  inputMode?: "numeric" | "text" | "email" | "search";
}

export function TextField(props: InputProps) {
  return (
    <div class="field">
      <Label {...props} />
      <input
        id={props.id}
        type={props.type ?? "text"}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        min={props.min}
        max={props.max}
        inputMode={props.inputMode}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}

interface TextAreaProps extends FieldProps {
  value: string;
  onInput: (value: string) => void;
  rows?: number;
}

export function TextArea(props: TextAreaProps) {
  return (
    <div class="field">
      <Label {...props} />
      <textarea
        id={props.id}
        rows={props.rows ?? 4}
        value={props.value}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}

interface SelectProps extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  options: [value: string, label: string][];
}

export function Select(props: SelectProps) {
  return (
    <div class="field">
      <Label {...props} />
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox(props: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div class="field checkbox">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <label for={props.id}>{props.label}</label>
    </div>
  );
}

/** An error the worker must read, announced as it appears. */
export function ErrorMessage({ children }: { children: ComponentChildren }) {
  return children ? (
    <p class="error" role="alert">
      {children}
    </p>
  ) : null;
}
