import { describeBatchReceipts } from './__fixtures__/describe-batch.js';
import { describeReceiptRoute } from './__fixtures__/describe-route.js';
import { msg91Body } from './__fixtures__/vendors/msg91.js';

describeReceiptRoute('msg91');
describeBatchReceipts('msg91', msg91Body);
