import { describeBatchReceipts } from './__fixtures__/describe-batch.js';
import { describeReceiptRoute } from './__fixtures__/describe-route.js';
import { infobipBody } from './__fixtures__/vendors/infobip.js';

describeReceiptRoute('infobip');
describeBatchReceipts('infobip', infobipBody);
