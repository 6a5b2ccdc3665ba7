import type { Problem } from '../api/use-request';

/** An error in plain words: what happened, then what to do about it. */
export function ProblemBox({ problem, title }: { problem: Problem; title?: string }) {
  return (
    <div className="problem" role="alert">
      {title && <div className="problem-title">{title}</div>}
      <div className="problem-message">{problem.message}</div>
      {problem.hint && <div className="problem-hint">What to do: {problem.hint}</div>}
    </div>
  );
}
