import 'reflect-metadata';

export type EnvKind = 'string' | 'int' | 'number' | 'bigint' | 'boolean' | 'list';

export interface EnvVarOptions {
  /** Value used when neither the variable nor an alias is set (a string, as in the environment). */
  default?: string;
  /** Other names accepted for the same setting, checked after the canonical name. */
  aliases?: string[];
  kind?: EnvKind;
  /** One line for `.env.example` and the README table. */
  description: string;
  /** Group heading in the generated documentation. */
  group: string;
  /** Java property it maps to, when it exists in iexec-core 8.5. */
  property?: string;
  /** Set on variables the Java scheduler does not have. */
  extension?: boolean;
}

export interface EnvVarDefinition extends EnvVarOptions {
  name: string;
  kind: EnvKind;
}

const ENV_VARS = Symbol('envVars');

/** Declares a configuration variable; the property name is the environment variable name. */
export function EnvVar(options: EnvVarOptions): PropertyDecorator {
  return (target, propertyKey) => {
    const list: EnvVarDefinition[] = Reflect.getMetadata(ENV_VARS, target) ?? [];
    list.push({ kind: 'string', ...options, name: String(propertyKey) });
    Reflect.defineMetadata(ENV_VARS, list, target);
  };
}

export function envVarDefinitions(target: object): EnvVarDefinition[] {
  return Reflect.getMetadata(ENV_VARS, target) ?? [];
}
