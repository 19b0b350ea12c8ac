"""Exponential-smoothing forecasts of monthly series (pure Python, no database).

``forecast(values, periods)`` picks the method the history allows:

- two full seasons or more: additive Holt-Winters (level, trend and seasonal smoothing);
- two points or more: Holt's linear trend;
- one point: that value.

The smoothing constants are fixed (not fitted per series): every step is then linear in the
data, so the forecasts of several series add up to the forecast of their sum (salespeople,
categories and the company total agree).
"""

ALPHA = 0.3  # level
BETA = 0.1  # trend
GAMMA = 0.2  # season
SEASON = 12  # months


def holt(values, periods, alpha=ALPHA, beta=BETA):
    """Holt's linear trend: level and trend smoothed; forecast = level + h * trend."""
    level, trend = values[0], values[1] - values[0]
    for value in values[1:]:
        previous = level
        level = alpha * value + (1 - alpha) * (level + trend)
        trend = beta * (level - previous) + (1 - beta) * trend
    return [level + step * trend for step in range(1, periods + 1)]


def holt_winters(values, periods, season=SEASON, alpha=ALPHA, beta=BETA, gamma=GAMMA):
    """Additive Holt-Winters.

    Initial state from the first two seasons: the trend is the difference of their means per
    period; the seasonal indices are each period's average deviation from its detrended season
    mean; the level is that of the last period of the first season. Smoothing runs from the
    second season on.
    """
    if len(values) < 2 * season:
        raise ValueError("Holt-Winters needs two full seasons of history")
    first, second = values[:season], values[season : 2 * season]
    mean_first, mean_second = sum(first) / season, sum(second) / season
    trend = (mean_second - mean_first) / season
    middle = (season - 1) / 2
    seasonal = [
        sum(values[k * season + i] - (mean + trend * (i - middle)) for k, mean in ((0, mean_first), (1, mean_second)))
        / 2
        for i in range(season)
    ]
    level = mean_first + trend * middle
    for t in range(season, len(values)):
        value = values[t]
        index = t % season
        previous = level
        level = alpha * (value - seasonal[index]) + (1 - alpha) * (level + trend)
        trend = beta * (level - previous) + (1 - beta) * trend
        seasonal[index] = gamma * (value - level) + (1 - gamma) * seasonal[index]
    last = len(values) - 1
    return [level + step * trend + seasonal[(last + step) % season] for step in range(1, periods + 1)]


def forecast(values, periods, season=SEASON):
    """Forecast ``periods`` values after the monthly history ``values`` (oldest first)."""
    values = [float(value) for value in values]
    if periods <= 0 or not values:
        return []
    if len(values) >= 2 * season:
        return holt_winters(values, periods, season)
    if len(values) >= 2:
        return holt(values, periods)
    return [values[0]] * periods
