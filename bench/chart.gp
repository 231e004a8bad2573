# Three panels per scenario, each the median of the runs with min-max bars, on log scales:
# events/s (wall clock), events per CPU-second of the daemon (or the reference), and p99
# latency. Called by run.py with datafile and outfile set.
set terminal pngcairo size 1400,520 font ",10"
set output outfile
set multiplot layout 1,3 title "sluice benchmarks (median of runs; bars: min–max)"
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set boxwidth 0.8
set xtics rotate by -30 noenhanced
set grid ytics
set logscale y
set format y "%.0s%c"
unset key

set title "events/s (wall clock)"
plot datafile using 2:3:4:xtic(1) lc rgb "#3b75af"

set title "events per CPU-second"
plot datafile using 5:6:7:xtic(1) lc rgb "#519e3e"

set title "p99 latency at 10,000 events/s (µs)"
set format y "%g"
plot datafile using 8:9:10:xtic(1) lc rgb "#d1603d"
unset multiplot
