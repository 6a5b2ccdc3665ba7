import { readFileSync } from 'node:fs';
import { describeFieldProblems, fieldProblemsFromZod } from './field-problems.js';
import { BootlabError, isErrnoException, type FieldProblem } from '../shared/errors.js';
import { removeStaleTemps, writeFileAtomic } from './atomic-file.js';
import type { z } from 'zod';
// Types only: the schemas are handed in (services/profile.ts assembles them; core/ imports no protocol).
import type { ConfigFile, Profile, ProfileInput, ProfileSchemas } from '../profile.js';

/**
 * Holds the config file (all profiles) in memory and saves it atomically. Saves are serialized so two
 * quick edits can never interleave on disk.
 */
export class ConfigStore {
  private config: ConfigFile;
  private saving: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(profile: Profile) => void>();

  private constructor(
    readonly path: string,
    config: ConfigFile,
    private readonly schemas: ProfileSchemas,
  ) {
    this.config = config;
  }

  /** Loads the file, or starts from defaults when it does not exist yet. Never overwrites a bad file. */
  static load(path: string, schemas: ProfileSchemas): ConfigStore {
    removeStaleTemps(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if (isErrnoException(err) && err.code === 'ENOENT')
        return new ConfigStore(path, schemas.file.parse({}), schemas);
      throw new BootlabError(
        'CONFIG_UNREADABLE',
        `Bootlab could not read its settings file ${path}: ${(err as Error).message}.`,
        'Check the file permissions, or start with another --data-dir.',
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new BootlabError(
        'CONFIG_UNREADABLE',
        `The settings file ${path} is not valid JSON (${(err as Error).message}).`,
        'Fix the file by hand, or rename it to start over with default settings.',
      );
    }
    const parsed = schemas.file.safeParse(raw);
    if (!parsed.success) {
      throw new BootlabError(
        'CONFIG_INVALID',
        `The settings file ${path} has invalid values: ${describeZodError(parsed.error)}.`,
        'Fix those values, or rename the file to start over with default settings.',
      );
    }
    return new ConfigStore(path, parsed.data, schemas);
  }

  get file(): ConfigFile {
    return this.config;
  }

  get activeName(): string {
    return this.config.activeProfile;
  }

  /** The active profile (created from defaults if the file names one that does not exist). */
  get profile(): Profile {
    return this.config.profiles[this.config.activeProfile] ?? this.schemas.profile.parse({});
  }

  /**
   * Replaces the active profile after validating it; saves atomically; tells listeners. `check` adds
   * checks against the live machine (api/settings-check.ts); its problems refuse the save like schema errors.
   */
  async setProfile(input: ProfileInput, check?: (profile: Profile) => FieldProblem[]): Promise<Profile> {
    const parsed = this.schemas.profile.safeParse(input);
    const fields = parsed.success ? (check?.(parsed.data) ?? []) : fieldProblemsFromZod(parsed.error);
    if (!parsed.success || fields.length > 0) {
      throw new BootlabError(
        'CONFIG_INVALID',
        `These settings are not valid. ${describeFieldProblems(fields)}`,
        'Correct the marked settings and save again.',
        {},
        fields,
      );
    }
    this.config = {
      ...this.config,
      profiles: { ...this.config.profiles, [this.config.activeProfile]: parsed.data },
    };
    await this.save();
    for (const listener of this.listeners) listener(parsed.data);
    return parsed.data;
  }

  /** Deep-merges a partial profile into the active one (objects merge, arrays and scalars replace). */
  async patchProfile(
    patch: Record<string, unknown>,
    check?: (profile: Profile) => FieldProblem[],
  ): Promise<Profile> {
    return this.setProfile(deepMerge(this.profile, patch) as ProfileInput, check);
  }

  onChange(listener: (profile: Profile) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  save(): Promise<void> {
    const text = JSON.stringify(this.config, null, 2) + '\n';
    this.saving = this.saving.catch(() => {}).then(() => writeFileAtomic(this.path, text));
    return this.saving;
  }
}

export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = deepMerge(base[key], value);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "dhcp.pool.start: Invalid ip" lines from a zod error, for messages people read. */
function describeZodError(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
}
