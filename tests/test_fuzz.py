"""Property-based fuzzing of the whole HTTP API from its own OpenAPI schema (schemathesis).

Every generated request, valid or not, must get an answer below 500; at least 1000 run. The
operations are driven with Hypothesis directly (schemathesis's pytest plugin does not load on
this pytest).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings


def test_no_server_errors_in_a_thousand_generated_requests(live_server: str) -> None:
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    calls: list[str] = []
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=150,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=live_server, timeout=30)
            calls.append(f"{case.method} {case.path}")
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query}: "
                    f"{response.status_code} {response.text[:200]}"
                )

        check()
    assert failures == []
    assert len(calls) >= 1000, f"only {len(calls)} requests were generated"
