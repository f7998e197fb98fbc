/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { manifest } from "./manifest.ts";

/**
 * The app is served by cpl at /app/ and its build is committed into the Python package, so
 * the output must be the same bytes for the same sources and lockfile (CI rebuilds and diffs).
 */
export default defineConfig({
  base: "/app/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "../src/cpl/web/static",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  plugins: [
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      injectRegister: false,
      manifest,
      includeAssets: ["icons/*.png", "icons/icon.svg"],
      injectManifest: { globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"], rollupFormat: "iife" },
    }),
  ],
  // `npm run dev`: the API of a `cpl serve` on port 8000, reached through Vite's own origin.
  server: { proxy: { "/v1": "http://127.0.0.1:8000" } },
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
    setupFiles: ["fake-indexeddb/auto"],
  },
});
