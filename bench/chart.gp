# Two panels per scenario: events/s (median, with min-max bars) and p99 latency (median, with
# min-max bars), both on log scales. Called by run.py with datafile and outfile set.
set terminal pngcairo size 1100,520 font ",10"
set output outfile
set multiplot layout 1,2 title "sluice benchmarks (median of runs; bars: min–max)"
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set boxwidth 0.8
set xtics rotate by -30 noenhanced
set grid ytics
set logscale y
set format y "%.0s%c"
unset key

set title "events/s"
plot datafile using 2:3:4:xtic(1) lc rgb "#3b75af"

set title "p99 latency (µs)"
set format y "%g"
plot datafile using 5:6:7:xtic(1) lc rgb "#d1603d"
unset multiplot
