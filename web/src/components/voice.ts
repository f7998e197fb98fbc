/**
 * Voice notes with MediaRecorder. cpl accepts Ogg Opus and MP4/AAC audio (among others);
 * the first of these the browser can make is used.
 */
export const VOICE_TYPES = ["audio/ogg;codecs=opus", "audio/mp4;codecs=mp4a.40.2", "audio/mp4"] as const;

export function voiceType(): string | null {
  if (typeof MediaRecorder === "undefined") return null;
  return VOICE_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

export function voiceExtension(mimeType: string): string {
  return mimeType.startsWith("audio/ogg") ? "ogg" : "m4a";
}

export interface Recording {
  stop: () => Promise<Blob>;
}

export async function startRecording(mimeType: string): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const recorder = new MediaRecorder(stream, { mimeType });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (event) => event.data.size > 0 && chunks.push(event.data);
  recorder.start();
  const recorded = () => new Blob(chunks, { type: mimeType.split(";")[0] });
  return {
    /** Ends the recording (and frees the microphone); calling it again gives the same recording. */
    stop: () =>
      new Promise((resolve) => {
        if (recorder.state === "inactive") return resolve(recorded());
        recorder.onstop = () => {
          stream.getTracks().forEach((track) => track.stop());
          resolve(recorded());
        };
        recorder.stop();
      }),
  };
}
