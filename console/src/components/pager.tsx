/** Previous / Next over marker-paged results, with the page number. */
import { hasNext, hasPrevious, type MarkerStack, pageNumber } from '../lib/paging.js';

interface Props {
  readonly stack: MarkerStack;
  readonly loading: boolean;
  readonly onPrevious: () => void;
  readonly onNext: () => void;
  readonly label: string;
}

export function Pager({ stack, loading, onPrevious, onNext, label }: Props) {
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button
        type="button"
        class="button"
        onClick={onPrevious}
        disabled={loading || !hasPrevious(stack)}
        data-testid="pager-previous"
      >
        ← Previous
      </button>
      <span class="pager-page" data-testid="page-number">
        Page {pageNumber(stack)}
      </span>
      <button
        type="button"
        class="button"
        onClick={onNext}
        disabled={loading || !hasNext(stack)}
        data-testid="pager-next"
      >
        Next →
      </button>
    </nav>
  );
}
