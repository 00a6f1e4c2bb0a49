"""The planner page (program admins): plan, compare what-ifs, turn a plan into events."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.form_errors import save_or_form_errors
from amparo.partnerships.queries import regions_with_agreement
from amparo.rollout import delays, planner, planning, queries, tasks
from amparo.rollout.forms import PlannerForm
from amparo.rollout.gantt import gantt_svg
from amparo.rollout.models import PlanRun, PlanRunState, Playbook, Team
from amparo.rollout.planner import explain, whatif
from amparo.territory import home, tilemap

RECENT_RUNS = 8


def _initial(request: HttpRequest, regions) -> dict[str, object]:
    """Defaults, or the settings of an earlier run (``?from=ID``) to change one thing."""
    source = request.GET.get("from")
    run = PlanRun.objects.filter(pk=source).first() if source and source.isdigit() else None
    if run:
        raw = run.input
        initial = {
            "playbook": run.playbook_id,
            "start": raw["start"],
            "regions": [r.pk for r in regions if r.code in {x["code"] for x in raw["regions"]}],
            "teams": list(
                Team.objects.filter(code__in=[t["code"] for t in raw["teams"]]).values_list(
                    "pk", flat=True
                )
            ),
            "extra_teams": sum(
                t["code"].startswith(planning.EXTRA_TEAM_PREFIX) for t in raw["teams"]
            ),
            "blackouts": planning.blackout_lines(
                {
                    x["code"]: [
                        (date.fromisoformat(a), date.fromisoformat(b)) for a, b in x["blackouts"]
                    ]
                    for x in raw["regions"]
                }
            ),
            "time_limit_s": int(raw.get("time_limit_s", 10)),
            "delay_min": run.delay_model.get("minimum", 0),
            "delay_mode": run.delay_model.get("most_likely", 1),
            "delay_max": run.delay_model.get("maximum", 7),
        }
        return _with_what_if(initial, run, request.GET.get("whatif", ""))
    # Proposed by default: regions not finished whose fraternity or regional government has
    # signed an agreement (the partnership pipeline says they are ready).
    ready = regions_with_agreement(regions)
    remaining = [
        line.region.pk
        for line in queries.program_overview(regions)
        if (line.rollout is None or line.next_stage is not None) and line.region.pk in ready
    ]
    today = timezone.localdate()
    return {
        "playbook": Playbook.objects.values_list("pk", flat=True).first(),
        "start": today.isoformat(),
        "regions": remaining,
        "teams": list(Team.objects.values_list("pk", flat=True)),
        "blackouts": planning.blackout_lines(planning.blackouts_by_region(regions, start=today)),
    }


def _with_what_if(initial: dict[str, object], run: PlanRun, chosen: str) -> dict[str, object]:
    """The form's settings changed as the run's ``chosen`` what-if (its index) says."""
    found = run.what_ifs
    if not chosen.isdigit() or int(chosen) >= len(found):
        return initial
    what_if = found[int(chosen)]
    if what_if.kind == whatif.EXTRA_TEAM:
        initial["extra_teams"] = int(initial["extra_teams"]) + 1  # type: ignore[call-overload]
        initial["label"] = _("+1 team able to deliver every stage")
    elif what_if.blackout:
        first, last = what_if.blackout
        lines = str(initial["blackouts"]).splitlines()
        initial["blackouts"] = "\n".join(
            line for line in lines
            if not _line_inside(line, what_if.region, first, last)
        )  # fmt: skip
        initial["label"] = _("without the blackout of %(region)s from %(first)s to %(last)s") % {
            "region": what_if.region, "first": first.isoformat(), "last": last.isoformat()
        }  # fmt: skip
    return initial


def _line_inside(line: str, region: str, first: date, last: date) -> bool:
    words = line.split()
    if len(words) != 3 or words[0] != region:
        return False
    try:
        return first <= date.fromisoformat(words[1]) and date.fromisoformat(words[2]) <= last
    except ValueError:
        return False


@login_required
def planner_page(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    regions = access.regions_visible(request.user)
    form = PlannerForm(request.POST or None, regions=regions, initial=_initial(request, regions))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raw = planning.planner_input(
            playbook=data["playbook"],
            regions=list(data["regions"]),
            teams=list(data["teams"].prefetch_related("stages")),
            extra_teams=data["extra_teams"],
            start=data["start"],
            blackouts=data["blackout_map"],
            time_limit_s=data["time_limit_s"],
        )
        model = delays.DelayModel(data["delay_min"], data["delay_mode"], data["delay_max"])
        run = save_or_form_errors(
            form,
            lambda: planning.plan_run_queue(
                by=request.user,
                playbook=data["playbook"],
                raw_input=raw,
                delay_model=model,
                label=data["label"],
            ),
        )
        if run:
            # The plan runs in a worker, never in this request; its page shows progress.
            tasks.run_plan.enqueue(run.pk)
            return redirect("plan-run", pk=run.pk)
    return render(
        request,
        "rollout/planner.html",
        {
            "form": form,
            "runs": PlanRun.objects.select_related("playbook")[:RECENT_RUNS],
            "uses": queries.planner_settings(list(regions)),
        },
        status=422 if form.errors else 200,
    )


@login_required
def plan_run(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    run = get_object_or_404(PlanRun.objects.select_related("playbook"), pk=pk)
    run = planning.plan_run_check_alive(run=run)
    context: dict[str, object] = {"run": run, "no_worker": planning.plan_run_waiting_long(run)}
    if run.has_result:
        stages = {s.code: s.name for s in run.playbook.stages.all()}
        visible = list(access.regions_visible(request.user).order_by("name"))
        regions = {r.code: r.name for r in visible}
        steps = [tilemap.PlanStep(e.region, e.team, e.start) for e in run.plan_result.events]
        context |= {
            "plan_map": home.plan_map(visible, steps),
            "why": _why_it_finishes_then(run, regions=regions, stages=stages),
            "result": run.plan_result,
            "stage_names": stages,
            "region_names": regions,
            "gantt": gantt_svg(
                run.plan_result,
                stage_labels=stages,
                region_labels=regions,
                title=_("Rollout plan"),
            ),
        }
    context["runs"] = PlanRun.objects.select_related("playbook")[:RECENT_RUNS]
    response = render(request, "rollout/plan_run.html", context)
    if request.headers.get("HX-Request") and not run.active:
        response["HX-Refresh"] = "true"  # the answer: the whole page, not just the progress
    return response


def _why_it_finishes_then(
    run: PlanRun, *, regions: dict[str, str], stages: dict[str, str]
) -> list[str]:
    """The chain that decides the finish, in the reader's language; nothing for a run
    whose stored input no longer reads."""
    try:
        plan = planner.parse_plan_input(run.input)
    except planner.PlanInputError:
        return []
    return explain.describe(
        explain.critical_chain(plan, run.plan_result),
        language=get_language() or "es",
        region_names=regions,
        stage_names=stages,
    )


@login_required
@require_POST
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    run = planning.plan_run_cancel(run=get_object_or_404(PlanRun, pk=pk))
    if run.state == PlanRunState.RUNNING:
        messages.info(request, _("Stopping: the plan keeps the best schedule found so far."))
    return redirect("plan-run", pk=run.pk)


@login_required
@require_POST
def plan_apply(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    run = get_object_or_404(PlanRun, pk=pk)
    try:
        count = planning.plan_apply(run=run, by=request.user)
        messages.success(
            request, _("%(n)s planned events created in the regions' rollouts.") % {"n": count}
        )
    except planning.ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("plan-run", pk=run.pk)
