import { validateSync } from 'class-validator';
import { AppConfig } from './app-config.js';
import { EnvKind, envVarDefinitions, EnvVarDefinition } from './env-var.decorator.js';
import { ENVIRONMENT_SECTIONS, Environment, EnvironmentSection } from './environment.js';
import { displayedValue } from '../common/redact.js';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export type RawEnvironment = Record<string, string | undefined>;

export function environmentVariables(): EnvVarDefinition[] {
  return ENVIRONMENT_SECTIONS.flatMap((section) => envVarDefinitions(section.prototype));
}

/**
 * Returns the raw value and the name it was found under (canonical name first, then aliases).
 * A variable set to an empty string is set (an empty password is a password); only absent
 * variables take the default. Text values are kept verbatim, other kinds are trimmed.
 */
function lookup(def: EnvVarDefinition, raw: RawEnvironment): { value: string; source: string } {
  for (const name of [def.name, ...(def.aliases ?? [])]) {
    const value = raw[name];
    if (value !== undefined)
      return { value: def.kind === 'string' ? value : value.trim(), source: name };
  }
  return { value: def.default ?? '', source: def.name };
}

function convert(kind: EnvKind, text: string): unknown {
  switch (kind) {
    case 'string':
      return text;
    case 'int':
      if (text === '') return undefined;
      return /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
    case 'number':
      return text === ''
        ? undefined
        : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)
          ? Number(text)
          : Number.NaN;
    case 'bigint':
      return /^\d+$/.test(text) ? BigInt(text) : text;
    case 'boolean':
      if (text === '') return undefined;
      if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      return text;
    case 'list':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
  }
}

/**
 * Reads, converts and validates every declared variable. Throws a {@link ConfigValidationError}
 * with one line per bad variable (its name, the value, what is expected).
 */
export function loadConfig(raw: RawEnvironment): AppConfig {
  const sources = new Map<string, { value: string; source: string }>();
  const sections: EnvironmentSection[] = ENVIRONMENT_SECTIONS.map((Section) => {
    const section = new Section();
    for (const def of envVarDefinitions(Section.prototype)) {
      const found = lookup(def, raw);
      sources.set(def.name, found);
      (section as unknown as Record<string, unknown>)[def.name] = convert(def.kind, found.value);
    }
    return section;
  });
  const errors = sections.flatMap((section) =>
    validateSync(section, { forbidUnknownValues: false }),
  );
  if (errors.length > 0) {
    const problems = errors.map((e) => {
      const found = sources.get(e.property);
      const message = Object.values(e.constraints ?? {}).join('; ');
      const source = found?.source ?? e.property;
      return `${source}=${displayedValue(source, found?.value ?? '')}: ${message}`;
    });
    throw new ConfigValidationError(problems);
  }
  return new AppConfig(Object.assign({}, ...sections) as Environment);
}
