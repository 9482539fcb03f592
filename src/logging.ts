import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear, so no token or password reaches a log line. */
const REDACT = [
  'token',
  'apiToken',
  'apiTokens',
  'password',
  'secret',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'config.apiTokens',
  'config.redis.url',
  'config.llm.apiKey',
  'config.telemetry.errorRedis.url',
  'config.telemetry.bigquery.keyFilename',
  '*.token',
  '*.apiKey',
  '*.password',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'improvement-loop' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination(2),
  );
}

/** A logger that writes nothing, for tests and for the CLI's --json mode. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
