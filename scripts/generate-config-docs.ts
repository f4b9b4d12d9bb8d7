// Regenerates .env.example and the README configuration table from src/config/environment/.
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envExample, withConfigTable } from '../src/config/config-docs.js';

const root = join(import.meta.dirname, '..');
writeFileSync(join(root, '.env.example'), envExample());
const readmePath = join(root, 'README.md');
writeFileSync(readmePath, withConfigTable(readFileSync(readmePath, 'utf8')));
console.log('updated .env.example and README.md');
