#!/usr/bin/env python3
"""Write golden.json: reference results of GrowthBook's gbstats 0.8.0 for the StrataStats tests.

Run with a Python that has gbstats 0.8.0 (it needs numpy<2 and pandas<2) and statsmodels, outside the repo:

    python3 -m venv /work/venv-gbstats
    /work/venv-gbstats/bin/pip install 'gbstats==0.8.0' 'numpy<2' 'pandas<2' scipy statsmodels
    /work/venv-gbstats/bin/python Fixtures/stats/make_golden.py

gbstats 0.8.0 has no multiple-comparison corrections, so Holm and Benjamini-Hochberg come from statsmodels'
multipletests ("holm", "fdr_bh"), the standard definitions GrowthBook's front end also uses.
"""

import importlib.metadata
import json
import math
import os

from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig, GaussianPrior
from gbstats.frequentist.tests import (
    FrequentistConfig,
    SequentialConfig,
    SequentialTwoSidedTTest,
    TwoSidedTTest,
)
from gbstats.models.statistics import (
    ProportionStatistic,
    QuantileClusteredStatistic,
    QuantileStatistic,
    RatioStatistic,
    RegressionAdjustedStatistic,
    SampleMeanStatistic,
)
from gbstats.utils import check_srm
from statsmodels.stats.multitest import multipletests


def mean(n, s, ss):
    return {"type": "mean", "n": n, "sum": s, "sum_squares": ss}


def binomial(n, s):
    return {"type": "binomial", "n": n, "sum": s}


def ratio(n, num, den, sp):
    return {"type": "ratio", "n": n, "numerator": num, "denominator": den, "sum_products": sp}


def cuped(n, post, pre, sp):
    return {"type": "cuped", "n": n, "post": post, "pre": pre, "sum_products": sp}


def quantile(n, n_star, nu, q, lower, upper, clustering=None):
    spec = {
        "type": "quantile",
        "n": n,
        "n_star": n_star,
        "nu": nu,
        "quantile": q,
        "lower": lower,
        "upper": upper,
    }
    if clustering is not None:
        spec["clustering"] = clustering
    return spec


def to_gbstats(spec):
    kind = spec["type"]
    if kind == "mean":
        return SampleMeanStatistic(n=spec["n"], sum=spec["sum"], sum_squares=spec["sum_squares"])
    if kind == "binomial":
        return ProportionStatistic(n=spec["n"], sum=spec["sum"])
    if kind == "ratio":
        return RatioStatistic(
            n=spec["n"],
            m_statistic=to_gbstats(spec["numerator"]),
            d_statistic=to_gbstats(spec["denominator"]),
            m_d_sum_of_products=spec["sum_products"],
        )
    if kind == "cuped":
        return RegressionAdjustedStatistic(
            n=spec["n"],
            post_statistic=to_gbstats(spec["post"]),
            pre_statistic=to_gbstats(spec["pre"]),
            post_pre_sum_of_products=spec["sum_products"],
            theta=0,
        )
    if kind == "quantile":
        common = dict(
            n=spec["n"],
            n_star=spec["n_star"],
            nu=spec["nu"],
            quantile_hat=spec["quantile"],
            quantile_lower=spec["lower"],
            quantile_upper=spec["upper"],
        )
        c = spec.get("clustering")
        if c is None:
            return QuantileStatistic(**common)
        return QuantileClusteredStatistic(
            **common,
            main_sum=c["main_sum"],
            main_sum_squares=c["main_sum_squares"],
            denominator_sum=c["denominator_sum"],
            denominator_sum_squares=c["denominator_sum_squares"],
            main_denominator_sum_product=c["sum_products"],
            n_clusters=c["clusters"],
        )
    raise ValueError(kind)


def finite(x):
    return float(x) if math.isfinite(float(x)) else None


def frequentist_case(name, a, b, difference="relative", alpha=0.05, sequential=None):
    config = dict(difference_type=difference, alpha=alpha)
    if sequential is None:
        test = TwoSidedTTest(to_gbstats(a), to_gbstats(b), FrequentistConfig(**config))
    else:
        test = SequentialTwoSidedTTest(
            to_gbstats(a), to_gbstats(b), SequentialConfig(**config, sequential_tuning_parameter=sequential)
        )
    res = test.compute_result()
    result = {"error": res.error_message}
    if res.error_message is None:
        result.update(
            expected=res.expected,
            ci=[res.ci[0], res.ci[1]],
            p_value=res.p_value,
            stddev=res.uplift.stddev,
            dof=finite(test.dof),
        )
    return {
        "name": name,
        "baseline": a,
        "treatment": b,
        "difference": difference,
        "alpha": alpha,
        "sequential_tuning": sequential,
        "result": result,
    }


def bayesian_case(name, a, b, difference="relative", alpha=0.05, prior=None, inverse=False):
    prior_effect = GaussianPrior()
    if prior is not None:
        prior_effect = GaussianPrior(mean=prior["mean"], variance=prior["stddev"] ** 2, proper=True)
    test = EffectBayesianABTest(
        to_gbstats(a),
        to_gbstats(b),
        EffectBayesianConfig(
            difference_type=difference,
            alpha=alpha,
            inverse=inverse,
            prior_effect=prior_effect,
            prior_type="relative",
        ),
    )
    res = test.compute_result()
    result = {"error": res.error_message}
    if res.error_message is None:
        result.update(
            expected=res.expected,
            ci=[res.ci[0], res.ci[1]],
            chance_to_win=res.chance_to_win,
            risk=[res.risk[0], res.risk[1]],
            stddev=res.uplift.stddev,
        )
    return {
        "name": name,
        "baseline": a,
        "treatment": b,
        "difference": difference,
        "alpha": alpha,
        "prior": prior,
        "inverse": inverse,
        "result": result,
    }


# Inputs -------------------------------------------------------------------------------------------------------------

EXAMPLE_A = mean(5000, 10000.0, 45000.0)
EXAMPLE_B = mean(5050, 10605.0, 48500.0)
LOWER_A = mean(20000, 61234.5, 245000.0)
LOWER_B = mean(19876, 59180.25, 236500.0)
SMALL_A = mean(5, 12.5, 36.25)
SMALL_B = mean(8, 25.0, 86.0)
HUGE_A = mean(1_000_000, 3_000_000.0, 13_000_000.0)
HUGE_B = mean(1_001_000, 3_004_500.0, 13_020_000.0)

CONV_A = binomial(10000, 1000.0)
CONV_B = binomial(10050, 1080.0)
CONV_C = binomial(9900, 1005.0)

RATIO_A = ratio(4000, mean(4000, 12000.0, 52000.0), mean(4000, 8000.0, 20000.0), 30000.0)
RATIO_B = ratio(4100, mean(4100, 12710.0, 55500.0), mean(4100, 8300.0, 21000.0), 31500.0)
RATIO_BIN_A = ratio(3000, binomial(3000, 600.0), mean(3000, 4500.0, 9000.0), 1300.0)
RATIO_BIN_B = ratio(3050, binomial(3050, 650.0), mean(3050, 4600.0, 9100.0), 1420.0)

CUPED_A = cuped(5000, mean(5000, 10000.0, 45000.0), mean(5000, 9500.0, 40000.0), 38000.0)
CUPED_B = cuped(5050, mean(5050, 10605.0, 48500.0), mean(5050, 9600.0, 40500.0), 40500.0)
CUPED_BIN_A = cuped(8000, binomial(8000, 900.0), binomial(8000, 850.0), 500.0)
CUPED_BIN_B = cuped(8100, binomial(8100, 990.0), binomial(8100, 860.0), 520.0)
# The pre-period is constant, so theta = 0 and the test falls back to the unadjusted metric.
CUPED_FLAT_A = cuped(5000, mean(5000, 10000.0, 45000.0), mean(5000, 5000.0, 5000.0), 10000.0)
CUPED_FLAT_B = cuped(5050, mean(5050, 10605.0, 48500.0), mean(5050, 5050.0, 5050.0), 10605.0)

QUANTILE_A = quantile(10000, 10000, 0.9, 12.3, 12.1, 12.55)
QUANTILE_B = quantile(10200, 10200, 0.9, 12.9, 12.68, 13.1)
QUANTILE_EVENT_A = quantile(
    20000,
    20000,
    0.5,
    3.2,
    3.1,
    3.32,
    dict(
        main_sum=10000.0,
        main_sum_squares=30000.0,
        denominator_sum=20000.0,
        denominator_sum_squares=100000.0,
        sum_products=48000.0,
        clusters=5000,
    ),
)
QUANTILE_EVENT_B = quantile(
    20500,
    20500,
    0.5,
    3.05,
    2.96,
    3.15,
    dict(
        main_sum=10250.0,
        main_sum_squares=31000.0,
        denominator_sum=20500.0,
        denominator_sum_squares=103000.0,
        sum_products=49500.0,
        clusters=5100,
    ),
)

ZERO_VARIANCE = mean(1000, 2000.0, 4000.0)
ZERO_BASELINE = mean(1000, 0.0, 0.0)
# Mean zero but positive variance (values of both signs): only the relative lift is undefined.
ZERO_BASELINE_SPREAD = mean(1000, 0.0, 500.0)
SINGLE_UNIT = mean(1, 3.0, 9.0)
EMPTY = mean(0, 0.0, 0.0)
NO_CONVERSIONS = binomial(1000, 0.0)

frequentist = [
    frequentist_case("mean example relative", EXAMPLE_A, EXAMPLE_B),
    frequentist_case("mean example absolute", EXAMPLE_A, EXAMPLE_B, "absolute"),
    frequentist_case("mean example alpha 0.1", EXAMPLE_A, EXAMPLE_B, alpha=0.1),
    frequentist_case("mean negative lift relative", LOWER_A, LOWER_B),
    frequentist_case("mean negative lift absolute alpha 0.01", LOWER_A, LOWER_B, "absolute", 0.01),
    frequentist_case("mean small samples", SMALL_A, SMALL_B),
    frequentist_case("mean small samples absolute", SMALL_A, SMALL_B, "absolute"),
    frequentist_case("mean one million units", HUGE_A, HUGE_B),
    frequentist_case("binomial arm 1 relative", CONV_A, CONV_B),
    frequentist_case("binomial arm 2 relative", CONV_A, CONV_C),
    frequentist_case("binomial arm 1 absolute", CONV_A, CONV_B, "absolute"),
    frequentist_case("binomial arm 2 absolute", CONV_A, CONV_C, "absolute"),
    frequentist_case("ratio relative", RATIO_A, RATIO_B),
    frequentist_case("ratio absolute", RATIO_A, RATIO_B, "absolute"),
    frequentist_case("ratio binomial numerator", RATIO_BIN_A, RATIO_BIN_B),
    frequentist_case("cuped relative", CUPED_A, CUPED_B),
    frequentist_case("cuped absolute", CUPED_A, CUPED_B, "absolute"),
    frequentist_case("cuped binomial relative", CUPED_BIN_A, CUPED_BIN_B),
    frequentist_case("cuped constant covariate", CUPED_FLAT_A, CUPED_FLAT_B),
    frequentist_case("quantile unit relative", QUANTILE_A, QUANTILE_B),
    frequentist_case("quantile unit absolute", QUANTILE_A, QUANTILE_B, "absolute"),
    frequentist_case("quantile event relative", QUANTILE_EVENT_A, QUANTILE_EVENT_B),
    frequentist_case("sequential example", EXAMPLE_A, EXAMPLE_B, sequential=5000),
    frequentist_case("sequential absolute tuning 1000", EXAMPLE_A, EXAMPLE_B, "absolute", 0.1, 1000),
    frequentist_case("sequential negative lift", LOWER_A, LOWER_B, sequential=20000),
    frequentist_case("sequential binomial", CONV_A, CONV_B, sequential=5000),
    frequentist_case("sequential cuped", CUPED_A, CUPED_B, sequential=5000),
    frequentist_case("sequential ratio", RATIO_A, RATIO_B, sequential=5000),
    frequentist_case("zero variance treatment", EXAMPLE_A, ZERO_VARIANCE),
    frequentist_case("zero variance binomial", CONV_A, NO_CONVERSIONS),
    frequentist_case("zero baseline mean", ZERO_BASELINE, EXAMPLE_B),
    frequentist_case("zero baseline mean absolute", ZERO_BASELINE, EXAMPLE_B, "absolute"),
    frequentist_case("zero baseline mean with spread absolute", ZERO_BASELINE_SPREAD, EXAMPLE_B, "absolute"),
    frequentist_case("single unit treatment", EXAMPLE_A, SINGLE_UNIT),
    frequentist_case("empty treatment", EXAMPLE_A, EMPTY),
    frequentist_case("sequential zero variance", EXAMPLE_A, ZERO_VARIANCE, sequential=5000),
]

bayesian = [
    bayesian_case("mean example flat", EXAMPLE_A, EXAMPLE_B),
    bayesian_case("mean example proper", EXAMPLE_A, EXAMPLE_B, prior={"mean": 0.0, "stddev": 0.1}),
    bayesian_case("mean example proper shifted", EXAMPLE_A, EXAMPLE_B, prior={"mean": 0.02, "stddev": 0.03}),
    bayesian_case("mean example absolute flat", EXAMPLE_A, EXAMPLE_B, "absolute"),
    bayesian_case("mean example absolute proper", EXAMPLE_A, EXAMPLE_B, "absolute", prior={"mean": 0.01, "stddev": 0.05}),
    bayesian_case("mean example lower is better", EXAMPLE_A, EXAMPLE_B, inverse=True),
    bayesian_case("mean example alpha 0.1", EXAMPLE_A, EXAMPLE_B, alpha=0.1),
    bayesian_case("mean negative lift flat", LOWER_A, LOWER_B),
    bayesian_case("mean negative lift lower is better proper", LOWER_A, LOWER_B, prior={"mean": 0.0, "stddev": 0.1}, inverse=True),
    bayesian_case("binomial arm 1 flat", CONV_A, CONV_B),
    bayesian_case("binomial arm 2 flat", CONV_A, CONV_C),
    bayesian_case("binomial arm 1 proper", CONV_A, CONV_B, prior={"mean": 0.0, "stddev": 0.1}),
    bayesian_case("binomial arm 2 proper", CONV_A, CONV_C, prior={"mean": 0.0, "stddev": 0.1}),
    bayesian_case("ratio flat", RATIO_A, RATIO_B),
    bayesian_case("ratio proper", RATIO_A, RATIO_B, prior={"mean": 0.0, "stddev": 0.05}),
    bayesian_case("cuped flat", CUPED_A, CUPED_B),
    bayesian_case("cuped proper", CUPED_A, CUPED_B, prior={"mean": 0.0, "stddev": 0.1}),
    bayesian_case("quantile unit flat", QUANTILE_A, QUANTILE_B),
    bayesian_case("quantile event proper", QUANTILE_EVENT_A, QUANTILE_EVENT_B, prior={"mean": 0.0, "stddev": 0.1}),
    bayesian_case("small samples flat", SMALL_A, SMALL_B),
    bayesian_case("zero variance treatment", EXAMPLE_A, ZERO_VARIANCE),
    bayesian_case("zero baseline mean relative", ZERO_BASELINE, EXAMPLE_B),
    # No absolute case with a zero baseline mean: gbstats 0.8.0 rescales even the flat prior by the baseline
    # mean and divides by zero (ZeroDivisionError). StrataStats answers it; see BayesianEdgeCaseTests.swift.
    bayesian_case("single unit treatment", EXAMPLE_A, SINGLE_UNIT),
    bayesian_case("empty treatment", EXAMPLE_A, EMPTY),
]

srm = []
for observed, weights in [
    ([5000, 5050], [0.5, 0.5]),
    ([10000, 10050, 9900], [1, 1, 1]),
    ([10000, 10500], [0.5, 0.5]),
    ([1000, 2100, 2900], [0.2, 0.3, 0.5]),
    ([4000, 4200, 0], [0.5, 0.5, 0]),
    ([9000, 11000], [1, 1]),
    ([0, 0], [0.5, 0.5]),
]:
    srm.append({"observed": observed, "weights": weights, "p_value": float(check_srm(observed, weights))})

p_value_sets = [
    [0.01, 0.04, 0.03, 0.005],
    [0.2, 0.2, 0.01, 0.8, 0.049],
    [0.001, 0.5, 1.0],
    [0.03033238719904152],
    [0.04, 0.04, 0.04, 0.04],
]
holm = [{"p_values": p, "adjusted": [float(x) for x in multipletests(p, method="holm")[1]]} for p in p_value_sets]
bh = [{"p_values": p, "adjusted": [float(x) for x in multipletests(p, method="fdr_bh")[1]]} for p in p_value_sets]

# Distribution functions from scipy (what gbstats calls), to hold StrataStats' own implementations to ~1e-12.
from scipy.stats import chi2, norm, t  # noqa: E402

normal = {
    "x": [-30.0, -8.0, -3.0, -1.0, 0.0, 0.5, 1.96, 5.0, 12.0],
    "p": [1e-300, 1e-20, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999],
}
normal["cdf"] = [float(norm.cdf(x)) for x in normal["x"]]
normal["sf"] = [float(norm.sf(x)) for x in normal["x"]]
normal["ppf"] = [float(norm.ppf(p)) for p in normal["p"]]
student = []
for df in [1.0, 2.0, 3.0, 5.5, 8.27, 30.0, 100.0, 1000.0, 10047.17, 1e5, 2e6]:
    xs = [-6.0, -1.96, -0.5, 0.0, 0.1, 1.0, 2.17, 4.0, 9.0]
    ps = [1e-10, 0.0005, 0.025, 0.05, 0.3, 0.7, 0.95, 0.975, 0.9995]
    student.append(
        {
            "df": df,
            "x": xs,
            "cdf": [float(t.cdf(x, df)) for x in xs],
            "sf": [float(t.sf(x, df)) for x in xs],
            "p": ps,
            "ppf": [float(t.ppf(p, df)) for p in ps],
        }
    )
chi_square = []
for df in [1.0, 2.0, 3.0, 10.0, 50.0]:
    xs = [0.01, 0.5, 1.0, 3.0, 10.0, 40.0, 200.0]
    chi_square.append({"df": df, "x": xs, "sf": [float(chi2.sf(x, df)) for x in xs]})

golden = {
    "generator": "Fixtures/stats/make_golden.py",
    "gbstats": importlib.metadata.version("gbstats"),
    "statsmodels": importlib.metadata.version("statsmodels"),
    "frequentist": frequentist,
    "bayesian": bayesian,
    "srm": srm,
    "holm": holm,
    "benjamini_hochberg": bh,
    "distributions": {"normal": normal, "student_t": student, "chi_square": chi_square},
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
with open(path, "w") as f:
    json.dump(golden, f, indent=1)
    f.write("\n")
print(f"wrote {path}: {len(frequentist)} frequentist, {len(bayesian)} bayesian, {len(srm)} srm cases")
