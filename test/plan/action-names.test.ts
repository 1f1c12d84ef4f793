import {describe, expect, it} from 'vitest';
import picomatch from 'picomatch';
import {actionName, actionsUnder, anyOfActions, backupKey, parseActionName, parseBackupKey} from '../../src/plan/action-names.js';

describe('action names', () => {
	it('a name is its kind and the parts of its place it has, in order', () => {
		expect(actionName('check-stores')).toBe('check-stores');
		expect(actionName('retire', {host: 'h1'})).toBe('retire/h1');
		expect(actionName('backup', {host: 'h1', volume: 'v1', device: 'd1'})).toBe('backup/h1/v1/d1');
		expect(actionName('remove', {host: 'h1', volume: 'v1', device: 'd1', id: '2026-01-02T03:04:05'})).toBe('remove/h1/v1/d1/2026-01-02T03:04:05');
	});

	it('parses a name back into the parts it was built from', () => {
		const where = {host: 'h1', volume: 'v1', device: 'd1', id: '2026-01-02'};
		expect(parseActionName(actionName('remove', where))).toEqual({kind: 'remove', ...where, parts: ['h1', 'v1', 'd1', '2026-01-02']});
		expect(parseActionName('log-prunable')).toEqual({kind: 'log-prunable', parts: []});
	});

	it('globs reach one level below a place, every level when deep, every action of a kind with no place', () => {
		const matches = (glob: string, name: string) => picomatch(glob, {dot: true})(name);
		expect(actionsUnder('identify', {host: 'h1', volume: 'v1'})).toBe('identify/h1/v1/*');
		expect(matches(actionsUnder('identify', {host: 'h1', volume: 'v1'}), 'identify/h1/v1/d1')).toBe(true);
		expect(matches(actionsUnder('remove', {host: 'h1'}), 'remove/h1/v1/d1/id')).toBe(false);
		expect(matches(actionsUnder('remove', {host: 'h1'}, true), 'remove/h1/v1/d1/id')).toBe(true);
		expect(actionsUnder('backup')).toBe('backup/**');
	});

	it('a backup key parses back into its host, volume and device', () => {
		const target = {host: 'h1', volume: 'v1', device: 'd1'};
		expect(parseBackupKey(backupKey(target))).toEqual(target);
	});

	it('a glob for several names matches each of them and nothing else', () => {
		const matches = picomatch(anyOfActions(['underway/h1/v1/d1', 'backup/h1/v1/d1']), {dot: true});
		expect(matches('underway/h1/v1/d1')).toBe(true);
		expect(matches('backup/h1/v1/d1')).toBe(true);
		expect(matches('backup/h1/v1/d2')).toBe(false);
	});
});
