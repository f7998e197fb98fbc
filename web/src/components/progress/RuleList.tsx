/**
 * Each rule of a registration: required, achieved and remaining in the rule's unit, the due
 * date and the status; the elements a coverage rule asks for, and the gaps a gap rule found
 * (each can be explained from here).
 */
import type { Schemas } from "../../api/client";
import { t } from "../../strings";
import { day } from "../remote/format";
import { amount, StatusBadge } from "./StatusBadge";

type Rule = Schemas["RuleProgress"];
type Gap = Schemas["GapOut"];

function Figures({ rule }: { rule: Rule }) {
  const rows: [string, string][] = [
    [t.progress.required, amount(rule.unit, rule.required)],
    [t.progress.achieved, amount(rule.unit, rule.achieved)],
    [t.progress.remaining, amount(rule.unit, rule.remaining)],
    [t.progress.due, day(rule.due_on)],
  ];
  return (
    <dl class="figures">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Gaps({ gaps, onExplain }: { gaps: Gap[]; onExplain: (gap: Gap) => void }) {
  return (
    <>
      <h4>{t.progress.gapsHeading}</h4>
      <ul class="plain-list">
        {gaps.map((gap) => (
          <li key={gap.from_date}>
            {t.progress.gap(day(gap.from_date), day(gap.to_date))}:{" "}
            {gap.explained ? t.progress.gapExplained : t.progress.gapUnexplained}
            {!gap.explained && (
              <button type="button" class="link" onClick={() => onExplain(gap)}>
                {t.progress.explainGap(day(gap.from_date), day(gap.to_date))}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

export function RuleList({ rules, onExplain }: { rules: Rule[]; onExplain: (gap: Gap) => void }) {
  return (
    <ul class="rule-list">
      {rules.map((rule) => (
        <li key={rule.id} class="rule">
          <h3>{rule.title}</h3>
          <p>
            {t.progress.status}: <StatusBadge status={rule.status} />
          </p>
          <Figures rule={rule} />
          {rule.in_units && (
            <p>{t.progress.inUnits(rule.in_units.achieved, rule.in_units.required, rule.in_units.name)}</p>
          )}
          <p class="hint">{t.progress.period(day(rule.period.start), day(rule.period.end))}</p>
          {rule.items && (
            <>
              <h4>{t.progress.itemsHeading}</h4>
              <ul class="plain-list">
                {rule.items.map((item) => (
                  <li key={item.code}>
                    {item.code} {item.title}: {item.covered ? `✓ ${t.progress.covered}` : t.progress.notCovered}
                  </li>
                ))}
              </ul>
            </>
          )}
          {rule.gaps && rule.gaps.length > 0 && <Gaps gaps={rule.gaps} onExplain={onExplain} />}
          <p class="hint">
            <a href={rule.source.url} rel="noopener noreferrer" target="_blank">
              {t.progress.source}: {rule.source.title}
            </a>
          </p>
        </li>
      ))}
    </ul>
  );
}
