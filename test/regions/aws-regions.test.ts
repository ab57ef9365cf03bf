import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { AWS_REGIONS, AWS_REGIONS_BY_PARTITION } from '../../src/regions/aws-regions.js';
import { parseRegionList, RegionNameError, regionPolicy } from '../../src/regions/region-policy.js';

/** botocore's partitions.json, from the Python that runs the AWS CLI v1 the suites need (pip install awscli). */
function botocorePartitions(): { partitions: { id: string; regions: Record<string, unknown> }[] } {
  const script =
    'import json, os, botocore; print(open(os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")).read())';
  const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`botocore is required by this suite (pip install awscli): ${run.stderr || run.error?.message}`);
  }
  return JSON.parse(run.stdout);
}

describe("AWS's regions", () => {
  test("fleetca's list is botocore's, partition by partition, without the *-global aliases", () => {
    const fromBotocore = Object.fromEntries(
      botocorePartitions().partitions.map((partition) => [
        partition.id,
        Object.keys(partition.regions)
          .filter((region) => !region.endsWith('-global'))
          .sort(),
      ]),
    );
    assert.deepEqual(
      Object.fromEntries(Object.entries(AWS_REGIONS_BY_PARTITION).map(([id, regions]) => [id, [...regions].sort()])),
      fromBotocore,
    );
    assert.ok(AWS_REGIONS.has('us-east-1') && AWS_REGIONS.has('cn-north-1') && AWS_REGIONS.has('us-gov-west-1'));
    assert.ok(!AWS_REGIONS.has('aws-global'));
  });

  test("the policy accepts AWS's regions and the private ones, and says what to do about others", () => {
    const aws = regionPolicy();
    for (const region of ['us-east-1', 'eu-central-2', 'ap-southeast-7', 'us-gov-east-1', 'eusc-de-east-1']) {
      assert.ok(aws.accepts(region), region);
    }
    for (const region of ['us-esat-1', 'US-EAST-1', 'us-east-1 ', '', 'aws-global', 'lab-east-1', 'local']) {
      assert.ok(!aws.accepts(region), JSON.stringify(region));
    }
    assert.equal(
      aws.refusal('us-esat-1'),
      '"us-esat-1" is not an AWS region; check its spelling, or add it to "privateRegions" in config.json (or FLEETCA_PRIVATE_REGIONS) to use a private region name',
    );
    const lab = regionPolicy(['lab-east-1', 'local']);
    assert.ok(lab.accepts('lab-east-1') && lab.accepts('local') && lab.accepts('us-east-1'));
    assert.ok(!lab.accepts('lab-west-1'));
    assert.match(lab.refusal('lab-west-1'), /nor one of the private regions \(lab-east-1, local\)/);
  });

  test('private region names must be region-shaped; FLEETCA_PRIVATE_REGIONS is a comma-separated list', () => {
    for (const bad of ['Lab', 'lab_east', '-lab', 'lab east', '']) {
      assert.throws(() => regionPolicy([bad]), RegionNameError, JSON.stringify(bad));
    }
    assert.deepEqual(parseRegionList(' lab-east-1, ,local,'), ['lab-east-1', 'local']);
    assert.deepEqual(parseRegionList(undefined), []);
  });
});
