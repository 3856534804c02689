"""moto_server with DynamoDB's write atomicity, which moto 5.2.1 does not keep under concurrency.

moto_server answers on werkzeug threads, and its DynamoDB backend checks a ConditionExpression and
then writes, with nothing between them: two conditional PutItems on one key that arrive together can
both pass the check. DynamoDB evaluates the condition and applies the write as one atomic operation
(Amazon DynamoDB Developer Guide, "Working with items and attributes" > "Conditional writes", and the
semaphore pattern AWS documents for Step Functions concurrency control builds on exactly that), so the
local AWS answers DynamoDB requests one at a time.

RDS likewise: moto 5.2.1's Describe*Snapshots filters iterate the region's snapshot dict while another
thread's DeleteDBSnapshot pops from it, and the KeyError comes back as InvalidParameterValue naming the
deleted snapshot (seen in a 3,000-snapshot prune). DescribeDBSnapshots names no such error (Amazon RDS API
Reference, DescribeDBSnapshots, "Errors": DBSnapshotNotFound only): RDS answers each request against a
consistent state, so the local AWS answers RDS requests one at a time too, under a lock of their own.
Every other service keeps moto's threads (SQS long polls must not hold the others up).

Run as moto_server is: python3 test/local/moto-server.py -H 127.0.0.1 -p PORT
"""
import sys
import threading

from moto.dynamodb.responses import DynamoHandler
from moto.rds.responses import RDSResponse
from moto.server import main

_one_at_a_time = threading.Lock()
_call_action = DynamoHandler.call_action


def _atomic_call_action(self):  # type: ignore[no-untyped-def]
    with _one_at_a_time:
        return _call_action(self)


DynamoHandler.call_action = _atomic_call_action  # type: ignore[method-assign]

_one_rds_request_at_a_time = threading.Lock()
_rds_call_action = RDSResponse.call_action


def _consistent_rds_call_action(self):  # type: ignore[no-untyped-def]
    with _one_rds_request_at_a_time:
        return _rds_call_action(self)


RDSResponse.call_action = _consistent_rds_call_action  # type: ignore[method-assign]

if __name__ == "__main__":
    main(sys.argv[1:])
