from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_health():
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_limit_is_validated():
    response = client.get("/products/p1/also-bought?limit=0")
    assert response.status_code == 422
