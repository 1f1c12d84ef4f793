import process from 'node:process';

// Imported before Ink: chalk decides the colour level when it loads, and a test's output is no terminal.
process.env['FORCE_COLOR'] = '1';
