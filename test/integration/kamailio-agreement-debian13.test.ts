// The oracle agreement on Debian 13: Kamailio 6.0.1 with OpenSSL 3.5 in a debootstrap chroot
// (scripts/install-debian13-oracle.sh; see agreementSuite.ts for what is compared).
import { defineAgreementSuite } from './agreementSuite';
import { debian13Target } from './oracleTargets';

defineAgreementSuite(debian13Target());
