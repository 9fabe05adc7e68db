import os

from fastapi import Depends, FastAPI, Query
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import CoPurchase
from app.ranking import rank_also_bought

engine = create_engine(
    os.environ.get("DATABASE_URL", "postgresql+psycopg://postgres:postgres@localhost:5432/postgres")
)
app = FastAPI(title="Recommendations API", version="0.4.0")


def session():
    with Session(engine) as s:
        yield s


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/products/{product_id}/also-bought")
def also_bought(
    product_id: str,
    limit: int = Query(default=8, ge=1, le=50),
    db: Session = Depends(session),
) -> list[str]:
    rows = db.execute(
        select(CoPurchase.other_product_id, CoPurchase.count).where(
            CoPurchase.product_id == product_id
        )
    ).all()
    return rank_also_bought(((row[0], row[1]) for row in rows), product_id, limit)
