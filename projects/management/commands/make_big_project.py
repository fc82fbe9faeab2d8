"""``python manage.py make_big_project``: one large, realistic project for the benchmark.

    manage.py make_big_project                         # BIG: 5,000 requirements, 20,000 test cases...
    manage.py make_big_project --scale 0.2 --code BIG-S
    manage.py make_big_project --scale 5 --replace     # 5× bigger, replacing BIG

What it makes and how: ``projects/bigproject/`` and ``bench/README.md`` ("The big project").
"""

from django.core.management.base import BaseCommand, CommandError

from projects import bigproject


class Command(BaseCommand):
    help = "Create one large project with every app's objects in realistic proportions (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--code", default="BIG", help="Project code (default BIG).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Size factor: 1 = 20,000 test cases; 0.1 quick; 5 = 5× bigger."
        )
        parser.add_argument("--seed", type=int, default=7, help="The same seed and scale give the same content.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete an existing project with this code (and its users) first."
        )
        parser.add_argument(
            "--password",
            default=None,
            help="Password of the generated users (<code>.pm.1, <code>.key_user.1, ...); default: none (unusable).",
        )

    def handle(self, *args, code, scale, seed, replace, password, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        self.stdout.write(f"Generating project {code} at scale {scale:g} (seed {seed})...")
        try:
            ctx = bigproject.generate(
                code=code, scale=scale, seed=seed, replace=replace, password=password, out=self.stdout
            )
        except bigproject.ProjectExists:
            raise CommandError(f"Project {code} exists; pass --replace to delete it and generate it again.") from None
        self.stdout.write("Rows:")
        for label, count in sorted(ctx.counts.items()):
            self.stdout.write(f"  {label:<32} {count:>9,}")
        self.stdout.write(f"  {'total':<32} {sum(ctx.counts.values()):>9,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Project {code} (id {ctx.project.pk}) ready in {ctx.timings['total']:.1f} s "
                f"(ANALYZE {ctx.timings.get('analyze', 0):.1f} s). "
                f"Users: {code.lower()}.pm.1 (PM), {code.lower()}.key_user.1 (key user), ..."
            )
        )
