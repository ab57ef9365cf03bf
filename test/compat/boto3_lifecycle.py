"""boto3 drives fleetca serve: the certificate lifecycle, pagination, and errors by exception class.

Run by test/compat/boto3.test.ts with FLEETCA_ENDPOINT, explicit AWS credentials and region in the
environment. Prints one JSON summary line on success; any failed check raises (exit code != 0).
"""
import hashlib
import json
import os
import ssl

import boto3
from botocore.config import Config

endpoint = os.environ["FLEETCA_ENDPOINT"]
csr_path = os.environ["FLEETCA_CSR"]
iot = boto3.client(
    "iot",
    endpoint_url=endpoint,
    region_name=os.environ["AWS_DEFAULT_REGION"],
    config=Config(retries={"max_attempts": 1}),
)


def expect_error(cls, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except cls as err:
        return err.response
    raise AssertionError(f"expected {cls.__name__}")


created = iot.create_keys_and_certificate(setAsActive=True)
der = ssl.PEM_cert_to_DER_cert(created["certificatePem"])
assert created["certificateId"] == hashlib.sha256(der).hexdigest()
assert created["keyPair"]["PrivateKey"].startswith("-----BEGIN RSA PRIVATE KEY-----\n")
ckac_id = created["certificateId"]

described = iot.describe_certificate(certificateId=ckac_id)["certificateDescription"]
assert described["status"] == "ACTIVE"
assert described["customerVersion"] == 1
assert described["validity"]["notAfter"].year == 2049
assert described["creationDate"].tzinfo is not None

with open(csr_path) as f:
    csr = f.read()
from_csr = iot.create_certificate_from_csr(certificateSigningRequest=csr)
csr_id = from_csr["certificateId"]
assert iot.describe_certificate(certificateId=csr_id)["certificateDescription"]["status"] == "INACTIVE"

# The status machine, with errors raised as the modeled exception classes.
iot.update_certificate(certificateId=csr_id, newStatus="ACTIVE")
err = expect_error(iot.exceptions.CertificateStateException, iot.delete_certificate, certificateId=csr_id)
assert err["ResponseMetadata"]["HTTPStatusCode"] == 406
assert err["Error"]["Message"] == f"Certificate must be deactivated (not ACTIVE) before deletion. Id: {csr_id}"
iot.update_certificate(certificateId=csr_id, newStatus="REVOKED")
expect_error(iot.exceptions.CertificateStateException, iot.update_certificate, certificateId=csr_id, newStatus="ACTIVE")
iot.delete_certificate(certificateId=csr_id, forceDelete=True)
err = expect_error(iot.exceptions.ResourceNotFoundException, iot.describe_certificate, certificateId=csr_id)
assert err["ResponseMetadata"]["HTTPStatusCode"] == 404
assert err["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]
expect_error(iot.exceptions.InvalidRequestException, iot.describe_certificate, certificateId="z" * 64)
expect_error(iot.exceptions.InvalidRequestException, iot.create_certificate_from_csr, certificateSigningRequest="not a csr")

# The paginator follows nextMarker; every certificate exactly once, newest first.
for _ in range(5):
    iot.create_certificate_from_csr(certificateSigningRequest=csr)
pages = list(iot.get_paginator("list_certificates").paginate(PaginationConfig={"PageSize": 2}))
listed = [c for page in pages for c in page["certificates"]]
ids = [c["certificateId"] for c in listed]
assert len(pages) >= 3, len(pages)
assert len(ids) == len(set(ids))
assert ckac_id in ids
dates = [c["creationDate"] for c in listed]
assert dates == sorted(dates, reverse=True)
ascending = [c["certificateId"] for page in iot.get_paginator("list_certificates").paginate(ascendingOrder=True) for c in page["certificates"]]
assert ascending == list(reversed(ids)), "ascending is the exact reverse"

print(json.dumps({"certificates": len(ids), "pages": len(pages), "ckac": ckac_id}))
