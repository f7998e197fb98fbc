/** The web app manifest: what a phone needs to install cpl as an app. */
export const manifest = {
  name: "cpl — learning record",
  short_name: "cpl",
  description: "Log your professional learning, on or offline.",
  start_url: "/app/",
  scope: "/app/",
  id: "/app/",
  display: "standalone" as const,
  theme_color: "#1d4f91",
  background_color: "#ffffff",
  icons: [
    { src: "icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" as const },
    { src: "icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" as const },
    { src: "icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" as const },
  ],
};
