/**
 * The event schema of Amazon Q Developer in chat applications custom notifications
 * (docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html, "Event schema"
 * and "Parameter details"): `version` must be "1.0", `source` must be "custom",
 * `textType` may only be "client-markdown"; every other field is a string, a list
 * of strings, or (additionalContext) a map of strings. Returns the problems found.
 */
export function customNotificationProblems(value: unknown): string[] {
  const problems: string[] = [];
  const object = (
    v: unknown,
    where: string,
    keys: readonly string[],
  ): Record<string, unknown> | undefined => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push(`${where} is not an object`);
      return undefined;
    }
    for (const key of Object.keys(v))
      if (!keys.includes(key)) problems.push(`${where}.${key} is not in the schema`);
    return v as Record<string, unknown>;
  };
  const string = (v: unknown, where: string, required = false) => {
    if (v === undefined ? required : typeof v !== 'string') problems.push(`${where} must be a string`);
  };
  const strings = (v: unknown, where: string) => {
    if (v !== undefined && (!Array.isArray(v) || v.some((item) => typeof item !== 'string'))) {
      problems.push(`${where} must be a list of strings`);
    }
  };
  const root = object(value, 'message', ['version', 'source', 'id', 'content', 'metadata']);
  if (root === undefined) return problems;
  if (root.version !== '1.0') problems.push('version must be "1.0"');
  if (root.source !== 'custom') problems.push('source must be "custom"');
  string(root.id, 'id');
  const content = object(root.content, 'content', [
    'textType',
    'title',
    'description',
    'nextSteps',
    'keywords',
  ]);
  if (content !== undefined) {
    if (content.textType !== undefined && content.textType !== 'client-markdown') {
      problems.push('content.textType must be "client-markdown"');
    }
    string(content.title, 'content.title');
    string(content.description, 'content.description', true);
    strings(content.nextSteps, 'content.nextSteps');
    strings(content.keywords, 'content.keywords');
  }
  if (root.metadata !== undefined) {
    const metadata = object(root.metadata, 'metadata', [
      'threadId',
      'summary',
      'eventType',
      'relatedResources',
      'additionalContext',
    ]);
    if (metadata !== undefined) {
      string(metadata.threadId, 'metadata.threadId');
      string(metadata.summary, 'metadata.summary');
      string(metadata.eventType, 'metadata.eventType');
      strings(metadata.relatedResources, 'metadata.relatedResources');
      if (metadata.additionalContext !== undefined) {
        const context = object(
          metadata.additionalContext,
          'metadata.additionalContext',
          Object.keys(metadata.additionalContext as object),
        );
        for (const [key, item] of Object.entries(context ?? {}))
          string(item, `metadata.additionalContext.${key}`);
      }
    }
  }
  return problems;
}
