"""rebocc-sweep: run rebocc over the cross product of parameter grids and
collect the reports into one CSV and Pareto plots (docs/Sweep.md)."""
