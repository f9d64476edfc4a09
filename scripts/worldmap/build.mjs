// Converts Natural Earth's country boundaries, as the npm package world-atlas publishes them,
// into the map data the portal draws on the server: paks/data/worldmap/countries.json.
//
// Run once when the source changes (see paks/data/worldmap/PROVENANCE.md):
//   cd scripts/worldmap && npm ci && npm run build
//
// What it does, and nothing else:
// - reads countries-110m.json and leaves Antarctica (010) out;
// - projects it with Equal Earth (equal-area: a country's shaded area is its true size),
//   the sphere fitted to a 1000-unit wide box, cut to their height;
// - writes each shape as an SVG path `d`, coordinates rounded to 0.1 unit, relative moves,
//   with its bounds (`box`) and, where they differ, those of its main parts (`main`), which
//   a region's view zooms to;
// - gives each M49 country or area with no shape at 1:110m a point: the projected centroid
//   of its largest polygon in countries-10m.json, so that small island States can be drawn
//   as a dot (west of Greenwich, also where it falls past 180° east, for a view of the
//   Pacific); areas not even in 10m are listed and left out.

import {readFileSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {geoArea, geoCentroid, geoEqualEarth, geoPath} from "d3-geo";
import * as topojson from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const atlasDir = join(here, "node_modules", "world-atlas");
const atlasVersion = JSON.parse(readFileSync(join(atlasDir, "package.json"))).version;
const out = join(root, "paks", "data", "worldmap", "countries.json");
const m49Csv = join(root, "countries", "data", "unsd_m49_en.csv");

const WIDTH = 1000;
const ANTARCTICA = "010";
// A polygon smaller than this share of its country's largest one is left out of the box a
// region view zooms to (French Guiana does not pull Europe's view to South America).
const MAIN_SHARE = 0.2;

function features(resolution) {
  const topology = JSON.parse(readFileSync(join(atlasDir, `countries-${resolution}.json`)));
  return topojson.feature(topology, topology.objects.countries).features;
}

function m49Codes() {
  const text = readFileSync(m49Csv, "utf8").replace(/^\uFEFF/, "");
  // Country or Area (quoted when it holds a comma), M49 code, ISO alpha-2, ISO alpha-3.
  const row = /,(?:"([^"]*)"|([^,"]*)),(\d{3}),[A-Z]{2},[A-Z]{3},/g;
  const codes = new Map();
  for (const m of text.matchAll(row)) codes.set(m[3], m[1] ?? m[2]);
  return codes;
}

// Short numbers: 0.5 -> ".5", -0.5 -> "-.5", 12.0 -> "12".
function num(tenths) {
  const sign = tenths < 0 ? "-" : "";
  const a = Math.abs(tenths);
  const whole = Math.floor(a / 10);
  const frac = a % 10;
  return sign + (whole || !frac ? String(whole) : "") + (frac ? "." + frac : "");
}

// Joins numbers with the fewest separators: none before a minus sign, none after a number
// with a decimal point when the next starts with one.
function compact(numbers) {
  let s = "";
  let previous = "";
  for (const n of numbers) {
    if (s && !n.startsWith("-") && !(n.startsWith(".") && previous.includes("."))) s += " ";
    s += n;
    previous = n;
  }
  return s;
}

// A d3 path context that keeps the projected rings, in tenths of a unit.
function ringsOf(geometry, path) {
  const rings = [];
  let ring = null;
  const context = {
    moveTo(x, y) {
      ring = [[Math.round(x * 10), Math.round(y * 10)]];
      rings.push(ring);
    },
    lineTo(x, y) {
      const p = [Math.round(x * 10), Math.round(y * 10)];
      const last = ring[ring.length - 1];
      if (p[0] !== last[0] || p[1] !== last[1]) ring.push(p);
    },
    closePath() {
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (ring.length > 1 && first[0] === last[0] && first[1] === last[1]) ring.pop();
    },
    arc() {},
  };
  path.context(context)(geometry);
  return rings.filter((r) => r.length >= 3);
}

function round(v) {
  return Math.round(v * 10) / 10;
}

function area(ring) {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % ring.length];
    a += x0 * y1 - x1 * y0;
  }
  return Math.abs(a) / 2;
}

function box(rings) {
  const xs = rings.flat().map((p) => p[0]);
  const ys = rings.flat().map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map((v) => v / 10);
}

function d(rings) {
  return rings
    .map((ring) => {
      const [x0, y0] = ring[0];
      const steps = [];
      for (let i = 1; i < ring.length; i++) {
        steps.push(num(ring[i][0] - ring[i - 1][0]), num(ring[i][1] - ring[i - 1][1]));
      }
      return `M${compact([num(x0), num(y0)])}l${compact(steps)}z`;
    })
    .join("");
}

const shapes = features("110m").filter((f) => f.id !== ANTARCTICA);
// The whole sphere's width, so that a dot at 179°E on the equator (Tuvalu) is inside the box;
// the height is cut to the shapes and dots.
const projection = geoEqualEarth().fitWidth(WIDTH, {type: "Sphere"});
const path = geoPath(projection);
const [[, top], [, bottom]] = path.bounds({type: "FeatureCollection", features: shapes});
projection.translate([projection.translate()[0], projection.translate()[1] - top]);

const countries = [];
for (const f of shapes) {
  const rings = ringsOf(f, path);
  // The rings of a polygon are drawn together, so the main-parts box is taken per ring.
  const largest = Math.max(...rings.map(area));
  const main = rings.filter((r) => area(r) >= MAIN_SHARE * largest);
  const entry = {m49: f.id ?? null, name: f.properties.name, d: d(rings), box: box(rings)};
  const mainBox = box(main);
  if (mainBox.some((v, i) => v !== entry.box[i])) entry.main = mainBox;
  countries.push(entry);
}

const drawn = new Set(shapes.map((f) => f.id));
const codes = m49Codes();
const detailed = new Map();
for (const f of features("10m")) {
  if (f.id === undefined) continue;
  // 10m has two features coded 036 (Australia and its Ashmore and Cartier Islands): keep the larger.
  if (!detailed.has(f.id) || geoArea(f) > geoArea(detailed.get(f.id))) detailed.set(f.id, f);
}
const missing = [];
for (const [code, name] of [...codes].sort()) {
  if (drawn.has(code) || code === ANTARCTICA) continue;
  const f = detailed.get(code);
  if (!f) {
    missing.push(`${code} ${name}`);
    continue;
  }
  const polygons =
    f.geometry.type === "MultiPolygon"
      ? f.geometry.coordinates.map((c) => ({type: "Polygon", coordinates: c}))
      : [f.geometry];
  // A few of 10m's tiny rings (three of the Maldives') wind the wrong way once quantized and
  // so cover the rest of the sphere: no polygon of a country is more than half of it.
  const sized = polygons.filter((p) => geoArea(p) < 2 * Math.PI);
  const largest = sized.reduce((a, b) => (geoArea(b) > geoArea(a) ? b : a));
  const [lon, lat] = geoCentroid(largest);
  const [x, y] = projection([lon, lat]);
  const entry = {m49: code, name: f.properties.name, at: [x, y].map(round)};
  if (lon < 0) {
    // Where the point falls when the map is continued east past 180°: x is linear in
    // longitude along a parallel, so it moves by the world's width there. A region's view
    // (Oceania) draws Samoa or Tonga there, beside Fiji, rather than at the far west.
    const span = projection([180 - 1e-9, lat])[0] - projection([-180 + 1e-9, lat])[0];
    entry.wrap = round(x + span);
  }
  countries.push(entry);
}

// Room below the lowest shape or dot (South Georgia's) for a dot's radius.
const lowest = Math.max(...countries.filter((c) => c.at).map((c) => c.at[1] + 4));
const height = Math.ceil(Math.max(bottom - top, lowest));
countries.sort((a, b) => (a.m49 ?? "~" + a.name).localeCompare(b.m49 ?? "~" + b.name));
const data = {
  source: `world-atlas ${atlasVersion}, countries-110m.json (Natural Earth 4.1.0, 1:110m, public domain)`,
  projection: "Equal Earth",
  viewBox: [0, 0, WIDTH, height],
  countries,
};
writeFileSync(out, JSON.stringify(data) + "\n");

const points = countries.filter((c) => c.at);
const unassigned = countries.filter((c) => !c.m49);
console.log(`wrote ${out}`);
console.log(`${countries.length - points.length} shapes, ${points.length} points`);
console.log(`points: ${points.map((c) => `${c.m49} ${c.name}`).join("; ")}`);
console.log(`shapes with no M49 code: ${unassigned.map((c) => c.name).join("; ")}`);
const foreign = countries.filter((c) => c.m49 && !codes.has(c.m49) && c.m49 !== ANTARCTICA);
console.log(`shapes whose code is not in M49: ${foreign.map((c) => `${c.m49} ${c.name}`).join("; ")}`);
console.log(`M49 areas with no shape at 1:10m, left out: ${missing.join("; ") || "none"}`);
