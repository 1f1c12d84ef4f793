import type {ActionBody} from '../engine/types.js';
import type {PlannedAction} from '../plan/types.js';
import {recordBackup, recordUnderway, runBackup} from './backup-steps.js';
import {checkStores, runDeviceHook} from './device-steps.js';
import {checkFlag, checkHostUp, checkMounted} from './host-checks.js';
import {identifyBackup} from './identify.js';
import {expirePruneLogs, findPrunableBackups, forgetBackups, logPrunable, removeOneBackup, retireBackups} from './prune-steps.js';
import type {RunControl} from './run-control.js';
import type {Runtime} from './runtime.js';
import {runPostVolumeHook, runPreVolumeHook} from './volume-hooks.js';

/** The body that performs a planned action. */
export function bodyFor(action: PlannedAction, runtime: Runtime, control: RunControl): ActionBody {
	const host = action.host ?? '';
	const volume = action.volume ?? '';
	const target = {host, volume, device: action.device ?? ''};
	switch (action.kind) {
		case 'live': {
			return async context => checkHostUp(context, runtime, runtime.host(host));
		}

		case 'mounted': {
			return async context => checkMounted(context, runtime, runtime.host(host), runtime.volume(host, volume));
		}

		case 'flag': {
			return async context => checkFlag(context, runtime, runtime.host(host), runtime.volume(host, volume));
		}

		case 'identify': {
			return async () => identifyBackup(runtime, host, volume, target.device);
		}

		case 'pre-device-hook':
		case 'post-device-hook': {
			const hook = action.kind;
			return async context => runDeviceHook(context, runtime, hook);
		}

		case 'check-stores': {
			return async context => checkStores(context, runtime);
		}

		case 'pre-volume-hook': {
			return async context => runPreVolumeHook(context, runtime, host, volume);
		}

		case 'post-volume-hook': {
			return async context => runPostVolumeHook(context, runtime, host, volume);
		}

		case 'underway': {
			return async context => recordUnderway(context, runtime, target);
		}

		case 'backup': {
			return async context => runBackup(context, runtime, target);
		}

		case 'record-backup': {
			return async () => recordBackup(runtime, target);
		}

		case 'find-prunable': {
			return async context => findPrunableBackups(context, runtime, control, host, volume);
		}

		case 'remove': {
			return async context => removeOneBackup(context, runtime, {...target, id: action.id ?? ''});
		}

		case 'log-prunable': {
			return async () => logPrunable(runtime, control);
		}

		case 'expire-prune-logs': {
			return async () => expirePruneLogs(runtime);
		}

		case 'retire': {
			return async context => retireBackups(context, runtime, control, host, action.volume);
		}

		case 'forget': {
			return async () => forgetBackups(runtime, host, action.volume, action.forgetOnly ?? false);
		}
	}
}
