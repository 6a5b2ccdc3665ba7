import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError, type FieldProblem } from './client';

/** What a failed request says to a person: what happened and what to do. */
export interface Problem {
  message: string;
  hint: string;
  code: string;
  /** Invalid fields named by the server, to be shown beside their inputs. */
  fields?: FieldProblem[];
}

export function toProblem(err: unknown): Problem {
  if (err instanceof ApiRequestError) {
    return {
      message: err.message,
      hint: err.hint,
      code: err.code,
      ...(err.fields.length > 0 ? { fields: err.fields } : {}),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  // fetch() rejects with a TypeError when the services host is gone.
  if (err instanceof TypeError) {
    return {
      message: 'Bootlab’s services host does not answer.',
      hint: 'Check that `bootlab serve` (or the Bootlab app) is still running, then reload this page.',
      code: 'UNREACHABLE',
    };
  }
  return { message, hint: '', code: 'ERROR' };
}

/**
 * Loads data once and again whenever `deps` change (e.g. after the live feed reconnects). `reload()`
 * refetches on demand; `setData` lets live events patch the snapshot in place.
 */
export function useRequest<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const loader = useRef(load);
  loader.current = load;
  const run = useRef(0);

  const reload = useCallback(async () => {
    const id = ++run.current;
    setLoading(true);
    try {
      const value = await loader.current();
      if (id !== run.current) return;
      setData(value);
      setProblem(undefined);
    } catch (err) {
      if (id !== run.current) return;
      setProblem(toProblem(err));
    } finally {
      if (id === run.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { data, setData, problem, loading, reload };
}
