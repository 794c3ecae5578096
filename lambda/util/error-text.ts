/** One line for a report or log: the SDK error's code before its message. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const named = error.name && error.name !== 'Error' && !error.message.startsWith(error.name);
  return named ? `${error.name}: ${error.message}` : error.message;
}
