"""Development only: the demo site (`load_demo`), the generated data set for benchmarks and the
soak (`generate_data`), and the scenario builders they share with the tests. Production's
settings leave this app out; a database is never filled with demo accounts there."""
