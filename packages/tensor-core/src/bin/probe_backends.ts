// Child process of rnnkit-doctor: probes every backend and sends the statuses to the parent.
import { listBackends } from '../backends/list_backends.js';

const statuses = await listBackends();
process.send?.(statuses, () => process.disconnect?.());
