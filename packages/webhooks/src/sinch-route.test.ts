import { describeReceiptRoute } from './__fixtures__/describe-route.js';

describeReceiptRoute('sinch');
