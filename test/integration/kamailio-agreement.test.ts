// The oracle agreement on Debian 12: this machine's Kamailio 5.6.3 with OpenSSL 3.0
// (see agreementSuite.ts for what is compared).
import { defineAgreementSuite } from './agreementSuite';
import { DEBIAN_12 } from './oracleTargets';

defineAgreementSuite(DEBIAN_12);
