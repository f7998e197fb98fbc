// Renders the app's PNG icons from their SVG sources (run `npm run icons` after changing an SVG;
// the PNGs are committed so the build itself needs no image tools).
import { readFileSync, writeFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";

const outputs = [
  ["public/icons/icon.svg", 192, "public/icons/icon-192.png"],
  ["public/icons/icon.svg", 512, "public/icons/icon-512.png"],
  ["icons/maskable.svg", 512, "public/icons/maskable-512.png"],
];

for (const [source, size, target] of outputs) {
  const png = new Resvg(readFileSync(source), { fitTo: { mode: "width", value: size } }).render().asPng();
  writeFileSync(target, png);
  console.log(`${target}: ${png.length} bytes`);
}
