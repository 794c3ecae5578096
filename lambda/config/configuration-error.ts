/** Bad input from a person: a flag, a payload field or an environment variable. One line, no stack. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
