import { baseConfigShape, byteSize, ConfigError, httpUrl, loadConfig, millis, port, z } from '@cruddur/service-kit';

const schema = z.object({
  ...baseConfigShape,
  PORT: port(4571),
  USERS_URL: httpUrl('http://127.0.0.1:4574'),
  USERS_TIMEOUT_MS: millis(2000),
});

/** The ConfigError `loadConfig` throws for `env`, or a failure when it throws none. */
function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('gives every default when nothing is set', () => {
    expect(loadConfig(schema, {})).toEqual({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      BODY_LIMIT: '100kb',
      SHUTDOWN_TIMEOUT_MS: 5000,
      PORT: 4571,
      USERS_URL: 'http://127.0.0.1:4574',
      USERS_TIMEOUT_MS: 2000,
    });
  });

  it('coerces numbers from their strings and keeps the given values', () => {
    const config = loadConfig(schema, {
      PORT: '8080',
      USERS_TIMEOUT_MS: '250',
      LOG_LEVEL: 'debug',
      BODY_LIMIT: '1mb',
      USERS_URL: 'https://users.example:9000',
    });
    expect(config.PORT).toBe(8080);
    expect(config.USERS_TIMEOUT_MS).toBe(250);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config.BODY_LIMIT).toBe('1mb');
    expect(config.USERS_URL).toBe('https://users.example:9000');
  });

  it('treats an empty string as unset', () => {
    const config = loadConfig(schema, { PORT: '', USERS_URL: '', USERS_TIMEOUT_MS: '', LOG_LEVEL: '' });
    expect(config.PORT).toBe(4571);
    expect(config.USERS_URL).toBe('http://127.0.0.1:4574');
    expect(config.USERS_TIMEOUT_MS).toBe(2000);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('ignores variables the schema does not name', () => {
    expect(loadConfig(schema, { PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  it('throws one ConfigError naming every bad variable with the value given', () => {
    const error = configErrorFor({
      PORT: 'eighty',
      USERS_URL: 'ftp://users',
      USERS_TIMEOUT_MS: '-5',
      LOG_LEVEL: 'loud',
      BODY_LIMIT: 'huge',
      HOST: '127.0.0.1',
    });
    expect(error.problems).toHaveLength(5);
    const named = (variable: string) => error.problems.find((p) => p.startsWith(`${variable}:`));
    expect(named('PORT')).toContain('(got "eighty")');
    expect(named('USERS_URL')).toContain('(got "ftp://users")');
    expect(named('USERS_URL')).toContain('must be an http:// or https:// URL');
    expect(named('USERS_TIMEOUT_MS')).toContain('(got "-5")');
    expect(named('USERS_TIMEOUT_MS')).toContain('must be positive');
    expect(named('LOG_LEVEL')).toContain('(got "loud")');
    expect(named('BODY_LIMIT')).toContain('(got "huge")');
    expect(named('HOST')).toBeUndefined();
    // The message a person reads at start-up lists them all.
    for (const variable of ['PORT', 'USERS_URL', 'USERS_TIMEOUT_MS', 'LOG_LEVEL', 'BODY_LIMIT']) {
      expect(error.message).toContain(`  - ${variable}:`);
    }
    expect(error.message.startsWith('invalid configuration:')).toBe(true);
  });
});

describe('port', () => {
  const parse = (value: unknown) => port(4567).safeParse(value);

  it('takes whole numbers from 1 to 65535', () => {
    expect(parse('1').data).toBe(1);
    expect(parse('65535').data).toBe(65535);
    expect(parse(undefined).data).toBe(4567);
  });

  it.each(['0', '65536', '-1', '80.5', 'http'])('rejects %s', (value) => {
    expect(parse(value).success).toBe(false);
  });
});

describe('millis', () => {
  const parse = (value: unknown) => millis(3000).safeParse(value);

  it('takes positive whole milliseconds, with a default', () => {
    expect(parse('1').data).toBe(1);
    expect(parse('120000').data).toBe(120000);
    expect(parse(undefined).data).toBe(3000);
  });

  it.each(['0', '-1', '1.5', 'soon'])('rejects %s', (value) => {
    expect(parse(value).success).toBe(false);
  });
});

describe('httpUrl', () => {
  const parse = (value: unknown) => httpUrl('http://localhost:3000/').safeParse(value);

  it('trims trailing slashes, also from the default', () => {
    expect(parse('http://users:4574/').data).toBe('http://users:4574');
    expect(parse('https://api.example/base//').data).toBe('https://api.example/base');
    expect(parse(undefined).data).toBe('http://localhost:3000');
  });

  it('keeps a URL without a trailing slash as it is', () => {
    expect(parse('http://127.0.0.1:4571').data).toBe('http://127.0.0.1:4571');
  });

  it.each(['ftp://users:21', 'file:///etc/passwd', 'localhost:4574', 'users', 'javascript:alert(1)'])('rejects %s', (value) => {
    const result = parse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be an http:// or https:// URL');
  });
});

describe('byteSize', () => {
  it('takes sizes like 512kb and 1mb, and nothing else', () => {
    expect(byteSize('100kb').safeParse('512kb').data).toBe('512kb');
    expect(byteSize('100kb').safeParse('1MB').data).toBe('1MB');
    expect(byteSize('100kb').safeParse(undefined).data).toBe('100kb');
    expect(byteSize('100kb').safeParse('1 gigabyte').success).toBe(false);
    expect(byteSize('100kb').safeParse('10gb').success).toBe(false);
  });
});
