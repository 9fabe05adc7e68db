import { formatPrice } from '../lib/formatPrice';

interface Product {
  id: string;
  name: string;
  priceMinor: number;
  currency: string;
}

async function featuredProducts(): Promise<Product[]> {
  const response = await fetch(`${process.env.PRICING_URL}/featured`, {
    next: { revalidate: 60 },
  });
  if (!response.ok) {
    return [];
  }
  return response.json();
}

export default async function HomePage() {
  const products = await featuredProducts();
  return (
    <main>
      <h1>This week at Acme</h1>
      <ul>
        {products.map(product => (
          <li key={product.id}>
            {product.name} — {formatPrice(product.priceMinor, product.currency)}
          </li>
        ))}
      </ul>
    </main>
  );
}
