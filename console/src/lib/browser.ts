/** Browser chores: saving text as a file and copying it to the clipboard. */

/** Saves text as a download named `filename` (a Blob behind an object URL, released right after). */
export function downloadText(text: string, filename: string, type = 'application/x-pem-file'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Copies text; true when it worked. The clipboard API exists only in secure contexts (HTTPS, localhost), so
 * elsewhere the operator is asked to copy the selected text by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Selects the text of an element (so that Ctrl+C copies it when the clipboard API is not there). */
export function selectContents(element: Element): void {
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}
