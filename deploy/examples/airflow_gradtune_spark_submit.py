"""Airflow DAG: the gradtune nightly study as a SparkSubmitOperator task. Airflow 2.4+ with
apache-airflow-providers-apache-spark.

The operator runs `spark-submit --class io.gradtune.driver.cli.Gradtune <cluster jar> run ...` in client deploy
mode, so the driver, and the run directory it writes, are on the Airflow worker. Needs, on that worker:
  - the cluster jar (cluster/target/gradtune-cluster.jar, from `mvn -B package -DskipTests`), Java 17;
  - a `spark-submit` for Spark 3.5: a Spark distribution's, or this checkout's deploy/spark-submit on the PATH
    under that name (recent providers accept only spark-submit, spark2-submit or spark3-submit as the binary);
  - an Airflow connection "spark_gradtune": host spark://spark-master, port 7077, extra {"deploy-mode": "client"}.

Unlike deploy/nightly.sh (see airflow_gradtune_nightly.py) this variant does not warm-start from the previous
night: add "--warm-start", "/opt/gradtune/runs/nightly-latest" to application_args once a first night has run
(gradtune exits 2 if that directory has no trials.csv). The second task moves runs/nightly-latest to tonight's run
only when the study succeeded (spark-submit returns gradtune's exit code: 0 ok, 1 the study failed, 2 bad config).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

GRADTUNE_HOME = "/opt/gradtune"
RUNS = f"{GRADTUNE_HOME}/runs"
STUDY = "nightly-{{ ds }}"

with DAG(
    dag_id="gradtune_nightly_spark_submit",
    schedule="0 2 * * *",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 0},
    tags=["gradtune"],
) as dag:
    study = SparkSubmitOperator(
        task_id="nightly_study",
        conn_id="spark_gradtune",
        application=f"{GRADTUNE_HOME}/cluster/target/gradtune-cluster.jar",
        java_class="io.gradtune.driver.cli.Gradtune",
        name="gradtune-" + STUDY,
        application_args=[
            "run", f"{GRADTUNE_HOME}/configs/nightly.yaml",
            "--study", STUDY,
            "--output", RUNS,
            "--master", "spark://spark-master:7077",  # gradtune's master decides (the config's otherwise)
            "--kafka", "kafka:9092",  # the cluster jar has no embedded broker
        ],
        driver_memory="2g",
        conf={"spark.executorEnv.OMP_NUM_THREADS": "1"},
        env_vars={"OMP_NUM_THREADS": "1"},
        execution_timeout=timedelta(hours=3),
    )
    mark_latest = BashOperator(
        task_id="mark_latest",
        bash_command=f"ln -sfn {STUDY} {RUNS}/nightly-latest",
    )
    study >> mark_latest
