"""boto3 drives the policy operations of fleetca serve: every one of the nineteen, its paginators, and its
errors by exception class.

Run by test/compat/policies.test.ts with FLEETCA_ENDPOINT, FLEETCA_CSR, explicit AWS credentials and region in the
environment. Prints one JSON summary line on success; any failed check raises (exit code != 0).
"""
import json
import os

import boto3
from botocore.config import Config

endpoint = os.environ["FLEETCA_ENDPOINT"]
region = os.environ["AWS_DEFAULT_REGION"]
iot = boto3.client("iot", endpoint_url=endpoint, region_name=region, config=Config(retries={"max_attempts": 1}))
called = set()


def call(name, **kwargs):
    called.add(name)
    return getattr(iot, name)(**kwargs)


def expect_error(cls_name, name, **kwargs):
    called.add(name)
    try:
        getattr(iot, name)(**kwargs)
    except getattr(iot.exceptions, cls_name) as err:
        return err.response
    raise AssertionError(f"{name}: expected {cls_name}")


def document(effect, action, resource):
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": resource}]}
    )


with open(os.environ["FLEETCA_CSR"], encoding="utf8") as f:
    certificate = iot.create_certificate_from_csr(certificateSigningRequest=f.read(), setAsActive=True)
target = certificate["certificateArn"]
account = target.split(":")[4]
arn = lambda resource: f"arn:aws:iot:{region}:{account}:{resource}"  # noqa: E731

allow = document("Allow", ["iot:Connect", "iot:Publish"], arn("client/${iot:ClientId}"))
created = call("create_policy", policyName="boto-allow", policyDocument=allow, tags=[{"Key": "k", "Value": "v"}])
assert created["policyVersionId"] == "1" and created["policyArn"] == arn("policy/boto-allow"), created
call("create_policy", policyName="boto-deny", policyDocument=document("Deny", "iot:Publish", arn("topic/secret")))
expect_error("ResourceAlreadyExistsException", "create_policy", policyName="boto-allow", policyDocument=allow)
expect_error("MalformedPolicyException", "create_policy", policyName="boto-bad", policyDocument="{")
got = call("get_policy", policyName="boto-allow")
assert got["policyDocument"] == allow and got["defaultVersionId"] == "1", got
assert got["creationDate"].tzinfo is not None, "timestamps parse as datetimes"

publish = document("Allow", "iot:Publish", arn("topic/*"))
version = call("create_policy_version", policyName="boto-allow", policyDocument=publish, setAsDefault=False)
assert version["policyVersionId"] == "2" and version["isDefaultVersion"] is False, version
fetched = call("get_policy_version", policyName="boto-allow", policyVersionId="2")
assert fetched["policyDocument"] == publish and fetched["isDefaultVersion"] is False, fetched
listed = call("list_policy_versions", policyName="boto-allow")["policyVersions"]
assert [v["versionId"] for v in listed] == ["2", "1"], listed
expect_error("DeleteConflictException", "delete_policy_version", policyName="boto-allow", policyVersionId="1")
call("set_default_policy_version", policyName="boto-allow", policyVersionId="2")
call("set_default_policy_version", policyName="boto-allow", policyVersionId="1")
call("delete_policy_version", policyName="boto-allow", policyVersionId="2")
expect_error("ResourceNotFoundException", "get_policy_version", policyName="boto-allow", policyVersionId="2")

call("attach_policy", policyName="boto-allow", target=target)
call("attach_principal_policy", policyName="boto-deny", principal=target)
expect_error("ResourceNotFoundException", "attach_policy", policyName="boto-none", target=target)
expect_error("DeleteConflictException", "delete_policy", policyName="boto-allow")
attached = call("list_attached_policies", target=target, recursive=True)["policies"]
assert [p["policyName"] for p in attached] == ["boto-allow", "boto-deny"], attached
principal_policies = call("list_principal_policies", principal=target, ascendingOrder=True)["policies"]
assert principal_policies == attached, principal_policies
assert call("list_targets_for_policy", policyName="boto-allow")["targets"] == [target]
assert call("list_policy_principals", policyName="boto-deny")["principals"] == [target]
effective = call("get_effective_policies", principal=target)["effectivePolicies"]
assert [p["policyName"] for p in effective] == ["boto-allow", "boto-deny"], effective

results = call(
    "test_authorization",
    principal=target,
    clientId="boto-client",
    authInfos=[
        {"actionType": "CONNECT", "resources": [arn("client/boto-client")]},
        {"actionType": "PUBLISH", "resources": [arn("topic/secret")]},
        {"actionType": "CONNECT", "resources": [arn("client/someone-else")]},
    ],
)["authResults"]
decisions = [r["authDecision"] for r in results]
assert decisions == ["ALLOWED", "EXPLICIT_DENY", "IMPLICIT_DENY"], results
assert results[1]["denied"]["explicitDeny"]["policies"][0]["policyName"] == "boto-deny", results[1]
expect_error(
    "ResourceNotFoundException",
    "test_authorization",
    principal=target,
    authInfos=[{"actionType": "CONNECT", "resources": [arn("client/x")]}],
    policyNamesToAdd=["boto-none"],
)

for i in range(5):
    call("create_policy", policyName=f"boto-page-{i}", policyDocument=allow)
first = call("list_policies", pageSize=1, ascendingOrder=True)
assert len(first["policies"]) == 1 and first["nextMarker"], first
names = []
for page in iot.get_paginator("list_policies").paginate(ascendingOrder=True, PaginationConfig={"PageSize": 2}):
    assert len(page["policies"]) <= 2
    names.extend(p["policyName"] for p in page["policies"] if p["policyName"].startswith("boto-"))
assert names == ["boto-allow", "boto-deny"] + [f"boto-page-{i}" for i in range(5)], names
for name in ("list_attached_policies", "list_targets_for_policy", "list_principal_policies", "list_policy_principals"):
    assert iot.can_paginate(name), name

call("detach_policy", policyName="boto-allow", target=target)
call("detach_principal_policy", policyName="boto-deny", principal=target)
assert call("list_attached_policies", target=target)["policies"] == []
for name in ["boto-allow", "boto-deny"] + [f"boto-page-{i}" for i in range(5)]:
    call("delete_policy", policyName=name)
expect_error("ResourceNotFoundException", "delete_policy", policyName="boto-allow")
expect_error("ResourceNotFoundException", "list_policy_versions", policyName="boto-allow")

print(json.dumps({"operations": len(called), "decisions": sorted(set(decisions))}))
