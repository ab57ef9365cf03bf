import assert from 'node:assert/strict';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CA_PASSPHRASE,
  caPassphraseSource,
  configuredPassphrase,
  NEW_CA_PASSPHRASE,
  newPassphrase,
} from '../../src/home/ca-passphrase.js';
import { HomeError } from '../../src/home/config.js';

const SECRET = 'pa55 phrase';

async function tempFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-passphrase-'));
  const file = join(dir, 'passphrase');
  await writeFile(file, content, { mode: 0o600 });
  return file;
}

/** Asserts a HomeError matching `pattern` that does not contain the passphrase. */
async function refused(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.ok(err instanceof HomeError, String(err));
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes(SECRET), 'the passphrase never appears in a message');
    return true;
  });
}

describe('where the CA passphrase comes from', () => {
  test('a file (one trailing line break dropped), else the variable, else nothing', async () => {
    const file = await tempFile(`${SECRET}\n`);
    const fromFile = await configuredPassphrase({ FLEETCA_CA_PASSPHRASE_FILE: file });
    assert.equal(fromFile?.bytes.toString(), SECRET);
    assert.equal(fromFile?.source, `FLEETCA_CA_PASSPHRASE_FILE (${file})`);
    const crlf = await configuredPassphrase({ FLEETCA_CA_PASSPHRASE_FILE: await tempFile(`${SECRET}\r\n`) });
    assert.equal(crlf?.bytes.toString(), SECRET);
    const inner = await configuredPassphrase({ FLEETCA_CA_PASSPHRASE_FILE: await tempFile(` ${SECRET}\n\n`) });
    assert.equal(inner?.bytes.toString(), ` ${SECRET}\n`, 'only one line break is the file’s');
    const fromValue = await configuredPassphrase({ FLEETCA_CA_PASSPHRASE: SECRET });
    assert.deepEqual(
      { ...fromValue, bytes: fromValue?.bytes.toString() },
      { bytes: SECRET, source: 'FLEETCA_CA_PASSPHRASE' },
    );
    assert.equal(await configuredPassphrase({}), undefined);
    assert.equal(await configuredPassphrase({ FLEETCA_CA_PASSPHRASE: '', FLEETCA_CA_PASSPHRASE_FILE: '' }), undefined);
  });

  test('bad settings: both set, a missing, unreadable or empty file', async () => {
    const file = await tempFile(SECRET);
    await refused(
      configuredPassphrase({ FLEETCA_CA_PASSPHRASE_FILE: file, FLEETCA_CA_PASSPHRASE: SECRET }),
      /^both FLEETCA_CA_PASSPHRASE_FILE and FLEETCA_CA_PASSPHRASE are set; set only one$/,
    );
    await refused(
      configuredPassphrase({ FLEETCA_CA_PASSPHRASE_FILE: `${file}.missing` }),
      /passphrase file named by FLEETCA_CA_PASSPHRASE_FILE \(.*\.missing\) cannot be read: no such file$/,
    );
    await refused(
      configuredPassphrase({ FLEETCA_CA_PASSPHRASE_FILE: await tempFile('\n') }),
      /named by FLEETCA_CA_PASSPHRASE_FILE \(.*\) is empty$/,
    );
    const directory = join(file, '..');
    await refused(configuredPassphrase({ FLEETCA_CA_PASSPHRASE_FILE: directory }), /cannot be read: EISDIR$/);
    if (process.getuid?.() !== 0) {
      await chmod(file, 0o000);
      await refused(configuredPassphrase({ FLEETCA_CA_PASSPHRASE_FILE: file }), /cannot be read: permission denied$/);
    }
  });

  test('with nothing configured: the terminal is asked once, or the message says what to set', async () => {
    const questions: string[] = [];
    const ask = async (question: string) => {
      questions.push(question);
      return SECRET;
    };
    const asked = await caPassphraseSource({}, ask)();
    assert.equal(asked.bytes.toString(), SECRET);
    assert.equal(asked.source, 'the terminal');
    assert.deepEqual(questions, ['Passphrase of the CA key: ']);
    const configured = await caPassphraseSource({ FLEETCA_CA_PASSPHRASE: 'other' }, ask)();
    assert.equal(configured.bytes.toString(), 'other');
    assert.equal(questions.length, 1, 'a configured passphrase is not asked for');
    await refused(
      caPassphraseSource({}, false)(),
      /^the CA key is encrypted and no passphrase was given: put it in a file named by FLEETCA_CA_PASSPHRASE_FILE \(or in FLEETCA_CA_PASSPHRASE\), or run on a terminal to be asked for it$/,
    );
    await refused(caPassphraseSource({}, async () => '')(), /^no CA passphrase given$/);
  });

  test('a new passphrase: its own settings, else asked twice; a mismatch or an empty one changes nothing', async () => {
    const fromNew = await newPassphrase({ FLEETCA_CA_NEW_PASSPHRASE: 'next' }, NEW_CA_PASSPHRASE, false);
    assert.equal(fromNew.bytes.toString(), 'next');
    const fromCurrentSettings = await newPassphrase({ FLEETCA_CA_PASSPHRASE: 'first' }, CA_PASSPHRASE, false);
    assert.equal(fromCurrentSettings.bytes.toString(), 'first');
    const answers = (...given: string[]) => {
      const queue = [...given];
      return async () => queue.shift() ?? '';
    };
    assert.equal((await newPassphrase({}, NEW_CA_PASSPHRASE, answers(SECRET, SECRET))).bytes.toString(), SECRET);
    await refused(newPassphrase({}, NEW_CA_PASSPHRASE, answers(SECRET, 'typo')), /^the two passphrases differ/);
    await refused(newPassphrase({}, NEW_CA_PASSPHRASE, answers('', '')), /an empty passphrase protects nothing/);
    await refused(
      newPassphrase({}, NEW_CA_PASSPHRASE, false),
      /^no new CA passphrase given: put it in a file named by FLEETCA_CA_NEW_PASSPHRASE_FILE/,
    );
  });
});
