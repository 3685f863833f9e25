"""Airflow DAG: the gradtune nightly study through deploy/nightly.sh (BashOperator). Airflow 2.4+.

deploy/nightly.sh does the nightly bookkeeping: the study is named after the DAG run's logical date, it is
warm-started from the last night that succeeded (runs/nightly-latest), and that symlink moves only when the study
succeeds. Its exit code is gradtune's (0 ok, 1 the study failed, 2 bad config); any non-zero code fails the task.

Copy this file into the DAGs folder and set GRADTUNE_HOME to the checkout on the Airflow worker (built once with
`mvn -B package -DskipTests`; Java 17). For a Spark cluster, set CLUSTER_ARGS (the study then runs as a Spark
application through deploy/gradtune-submit and the cluster jar).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

GRADTUNE_HOME = "/opt/gradtune"
JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64"
# Local mode (Spark local[*] and an embedded broker on the Airflow worker): leave empty.
# On a cluster: "--master spark://spark-master:7077 --kafka kafka:9092"
CLUSTER_ARGS = ""

with DAG(
    dag_id="gradtune_nightly",
    schedule="0 2 * * *",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,  # one study at a time: each night warm-starts from the one before
    default_args={"retries": 0},
    tags=["gradtune"],
) as dag:
    BashOperator(
        task_id="nightly_study",
        # The trailing space keeps Airflow from reading a command ending in ".sh" as a template file name.
        bash_command=f"deploy/nightly.sh {CLUSTER_ARGS} ",
        cwd=GRADTUNE_HOME,
        env={
            "JAVA_HOME": JAVA_HOME,
            "GRADTUNE_NIGHTLY_NAME": "nightly-{{ ds }}",  # the logical date, so a re-run names the same study
            "GRADTUNE_NIGHTLY_SUBMIT": "1" if CLUSTER_ARGS else "0",
        },
        append_env=True,
        execution_timeout=timedelta(hours=3),  # configs/nightly.yaml proposes for 1 h; this bounds a hung run
    )
