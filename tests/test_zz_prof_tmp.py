import cProfile, io, pstats, os
import pytest
from django.core.management import call_command

@pytest.mark.django_db
def test_prof():
    args = os.environ.get("SEED_ARGS", "").split()
    pr = cProfile.Profile(); pr.enable()
    call_command("seed_demo", *args, stdout=io.StringIO())
    pr.disable()
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(45)
    open("/tmp/ci-helper/prof_seed%s.txt" % "_".join(args), "w").write(s.getvalue())
