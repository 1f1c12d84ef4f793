import {describe, expect, test} from 'vitest';
import {placeAction} from '../../components/action-place.js';

describe('placeAction', () => {
	test('prefers the data over the name, and reads the name when data is missing', () => {
		expect(placeAction({name: 'backup/h1/home/d1', data: {kind: 'backup', host: 'h1', volume: 'home', device: 'd1'}})).toEqual({kind: 'backup', host: 'h1', volume: 'home', device: 'd1', label: 'backup'});
		expect(placeAction({name: 'retire/h1/home', data: {kind: 'retire', host: 'h1'}})).toMatchObject({host: 'h1', volume: 'home', label: 'retire'});
		expect(placeAction({name: 'log-prunable', data: {}})).toEqual({kind: 'log-prunable', host: undefined, volume: undefined, device: undefined, label: 'log-prunable'});
	});
});
