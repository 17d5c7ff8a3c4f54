import { describe, expect, it } from 'vitest';
import { DEFAULT_VOCABULARY } from '../../src/model/vocabulary.js';
import { compileVocabulary, mergeSettings, SettingsError, vocabularyFromSettings } from '../../src/model/settings.js';

describe('settings', () => {
  it('extends lists and replaces patterns', () => {
    const merged = mergeSettings({ requestScopedMembers: ['uow'], backgroundNamePattern: 'Job$' });
    expect(merged.requestScopedMembers).toEqual([...DEFAULT_VOCABULARY.requestScopedMembers, 'uow']);
    expect(merged.backgroundNamePattern).toBe('Job$');
  });

  it('accepts dispatchers as strings or objects', () => {
    const merged = mergeSettings({ dispatchers: ['jobs.enqueue', { callee: 'bus.on', events: ['x'] }] });
    expect(merged.dispatchers.slice(-2)).toEqual([{ callee: 'jobs.enqueue', dropsPromise: true }, { callee: 'bus.on', events: ['x'] }]);
  });

  it('rejects unknown keys, wrong types and bad patterns with a clear message', () => {
    expect(() => mergeSettings({ nope: [] })).toThrow(/unknown key "nope"/);
    expect(() => mergeSettings({ loggers: 'logger' })).toThrow(/loggers must be an array of strings/);
    expect(() => mergeSettings({ backgroundNamePattern: '(' })).toThrow(SettingsError);
    expect(() => mergeSettings([])).toThrow(/must be an object/);
  });

  it('validates every field of object entries, so a wrong type fails at load and not later with a TypeError', () => {
    expect(() => mergeSettings({ releasedSessions: [{ open: 'connect', on: 5, release: ['release'] }] })).toThrow('releasedSessions[].on must be a string');
    expect(() => mergeSettings({ releasedSessions: [{ open: 'connect', release: ['end'], withoutCallback: 'yes' }] })).toThrow(
      'releasedSessions[].withoutCallback must be true or false',
    );
    expect(() => mergeSettings({ releasedSessions: [{ open: 'connect', release: ['end'], typo: true }] })).toThrow(/releasedSessions\[\]\.typo is not a known field/);
    expect(() => mergeSettings({ dispatchers: [{ callee: 'bus.emit', construct: 1 }] })).toThrow('dispatchers[].construct must be true or false');
    expect(() => mergeSettings({ dispatchers: [{ callee: 'bus.emit', importedFrom: 'x' }] })).toThrow('dispatchers[].importedFrom must be an array of strings');
    expect(mergeSettings({ dispatchers: [{ callee: 'bus.emit', recordsFailure: true, importedFrom: ['bus'] }] }).dispatchers.at(-1)).toEqual({
      callee: 'bus.emit',
      recordsFailure: true,
      importedFrom: ['bus'],
    });
  });

  it('compiles status phases case- and separator-insensitively', () => {
    const vocabulary = compileVocabulary(DEFAULT_VOCABULARY);
    expect(vocabulary.statusPhase('IN_PROGRESS')).toBe('in-progress');
    expect(vocabulary.statusPhase('InProgress')).toBe('in-progress');
    expect(vocabulary.statusPhase('Completed')).toBe('completed');
    expect(vocabulary.statusPhase('FAILED')).toBe('failed');
    expect(vocabulary.statusPhase('paid')).toBeUndefined();
    expect(vocabulary.isStatusMethod('markAsProcessing')).toBe(true);
    expect(vocabulary.isStatusMethod('markAs')).toBe(false);
  });

  it('caches the compiled vocabulary per settings object', () => {
    const settings = { 'background-tasks': { loggers: ['audit'] } };
    expect(vocabularyFromSettings(settings)).toBe(vocabularyFromSettings(settings));
    expect(vocabularyFromSettings({})).toBe(vocabularyFromSettings(undefined));
  });
});
