/**
The HTML report's built-in stylesheet, used when the `stylesheet` directive
is not set; `color-good`/`color-bad` rules are appended either way.
*/
import {cssColor} from './colors.js';

const builtIn = `body {
  margin: 1.2em 1.5em;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  font-size: 13px;
  color: #1c1c1c;
  background-color: #ffffff;
}
h1 {
  margin: 0 0 0.6em 0;
  padding: 0.3em 0.5em;
  font-size: 1.6em;
  border-left: 6px solid #2f6f3e;
  background-color: #eef6ef;
}
h2 {
  margin: 1.4em 0 0.5em 0;
  padding-bottom: 0.15em;
  font-size: 1.25em;
  border-bottom: 1px solid #c8c8c8;
}
h3 {
  margin: 1em 0 0.4em 0;
  font-size: 1.05em;
}
ul.warnings {
  padding-left: 1.2em;
}
ul.warnings li {
  margin: 0.2em 0;
  color: #a01818;
}
table {
  border-collapse: collapse;
  font-variant-numeric: tabular-nums;
}
th {
  padding: 2px 6px;
  background-color: #ececec;
  border: 1px solid #c8c8c8;
  font-weight: 600;
}
td {
  padding: 2px 6px;
  border: 1px solid #c8c8c8;
  vertical-align: top;
  white-space: nowrap;
}
td.host {
  font-weight: 600;
}
td.unused {
  color: #9a9a9a;
}
td.failed {
  box-shadow: inset 0 -3px 0 #b00020;
}
pre.log {
  padding: 0.6em 0.8em;
  overflow-x: auto;
  background-color: #f4f4f4;
  border-left: 3px solid #b00020;
}
svg.history {
  display: block;
  margin-top: 1em;
  border: 1px solid #c8c8c8;
}
p.generated {
  margin-top: 2em;
  color: #606060;
  font-size: 0.9em;
}
`;

/** The stylesheet: the operator's (`stylesheet` file contents) or the built-in one, then the colour rules. */
export function stylesheet(custom: string | undefined, colors: {good: number; bad: number}): string {
	const good = cssColor(colors.good);
	const bad = cssColor(colors.bad);
	return `${custom ?? builtIn}td.bad { background-color: ${bad} }\ntd.good { background-color: ${good} }\nspan.bad { color: ${bad} }\n`;
}
