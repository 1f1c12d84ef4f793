/**
The build step that writes rsdeck(1) into the build output (`npm run build`,
`prepare`), where package.json's `man` field installs it from. An argument
names another file to write.
*/
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {manPage} from './man-page.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string; man: [string]};
const target = process.argv[2] ?? path.join(root, packageJson.man[0]);
// SOURCE_DATE_EPOCH keeps a rebuilt page identical (reproducible builds).
const epoch = Number(process.env['SOURCE_DATE_EPOCH'] ?? Number.NaN);
const date = (Number.isFinite(epoch) ? new Date(epoch * 1000) : new Date()).toISOString().slice(0, 10);
mkdirSync(path.dirname(target), {recursive: true});
writeFileSync(target, manPage(packageJson.version, date));
