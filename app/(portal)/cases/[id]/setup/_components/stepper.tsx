import type { InputPhase } from '@/lib/providers';
import { cn } from '@/app/_components/ui/cn';

export interface StepperItem {
  id: string;
  title: string;
  phase: InputPhase | 'review';
}

const LATER: Record<InputPhase, string> = {
  draft: 'Before you submit',
  details: 'After your CSM accepts',
  after_endpoint: 'Once the endpoint exists',
};

/** Where the customer is, what is done and what is left. Steps of the current phase are links. */
export function Stepper({
  items,
  current,
  phase,
  onGo,
}: {
  items: StepperItem[];
  current: string;
  phase: InputPhase;
  onGo: (id: string) => void;
}) {
  const order: (InputPhase | 'review')[] = ['draft', 'details', 'after_endpoint'];
  const phaseIndex = order.indexOf(phase);
  const currentIndex = items.findIndex((i) => i.id === current);
  return (
    <nav aria-label="Setup steps">
      <ol className="space-y-1">
        {items.map((item, index) => {
          const itemPhase = item.phase === 'review' ? phase : item.phase;
          const inPhase = itemPhase === phase;
          const done = order.indexOf(itemPhase) < phaseIndex || (inPhase && index < currentIndex);
          const isCurrent = item.id === current;
          const status = isCurrent ? 'Current step' : done ? 'Done' : inPhase ? 'To do' : LATER[itemPhase as InputPhase];
          const content = (
            <>
              <span
                aria-hidden="true"
                className={cn(
                  'flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold',
                  isCurrent ? 'bg-indigo-700 text-white' : done ? 'bg-emerald-600 text-white' : 'bg-slate-200 text-slate-800',
                )}
              >
                {done && !isCurrent ? '✓' : index + 1}
              </span>
              <span>
                <span className="block text-sm font-medium">{item.title}</span>
                <span className="block text-xs text-slate-700">{status}</span>
              </span>
            </>
          );
          return (
            <li key={item.id}>
              {inPhase ? (
                <button
                  type="button"
                  onClick={() => onGo(item.id)}
                  aria-current={isCurrent ? 'step' : undefined}
                  className={cn(
                    'flex w-full items-center gap-3 rounded-md px-2 py-1.5 text-left',
                    isCurrent ? 'bg-indigo-50 text-indigo-950' : 'text-slate-900 hover:bg-slate-100',
                  )}
                >
                  {content}
                </button>
              ) : (
                <div className="flex items-center gap-3 px-2 py-1.5 text-slate-700">{content}</div>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
