import {describe, expect, test} from 'vitest';
import {OutputTail} from '../../components/output-tail.js';

describe('OutputTail', () => {
	test('joins chunks into lines per stream and cleans what a terminal cannot show', () => {
		const buffer = new OutputTail();
		buffer.append('stdout', 'sending ');
		buffer.append('stdout', 'file list\r\nhome/\u001B[31ma\u001B[0m\tb\n');
		buffer.append('stderr', 'partial');
		buffer.append('stdout', ' 10%\r 50%\r100%\n');
		buffer.append('stderr', ' warning\n');
		expect(buffer.lines).toEqual([
			{stream: 'stdout', text: 'sending file list'},
			{stream: 'stdout', text: 'home/a    b'},
			{stream: 'stderr', text: 'partial'},
			{stream: 'stdout', text: '100%'},
			{stream: 'stderr', text: ' warning'},
		]);
	});

	test('keeps at most twice its limit, dropping the oldest lines', () => {
		const buffer = new OutputTail(10);
		for (let line = 0; line < 100; line++) {
			buffer.append('stdout', `${line}\n`);
		}

		expect(buffer.lines.length).toBeLessThanOrEqual(20);
		expect(buffer.lines.at(-1)?.text).toBe('99');
		expect(buffer.dropped + buffer.lines.length).toBe(100);
		expect(() => new OutputTail(0)).toThrow(TypeError);
	});
});
