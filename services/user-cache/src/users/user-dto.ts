/** A user as callers see it (and as it is cached). */
export interface UserDto {
  id: bigint;
  name: string;
  gender: string | null;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One balance; the amount is a decimal string, exact to the 18 places stored. */
export interface WalletDto {
  currency: string;
  balance: string;
  updatedAt: Date;
}

export interface UserWithWallets extends UserDto {
  wallets: WalletDto[];
}

/** What `getUsers` answers per id: the user, with wallets when they were asked for. */
export interface UserView extends UserDto {
  wallets?: WalletDto[];
}

interface UserRow extends UserDto {
  wallets?: Array<{ currency: string; balance: { toString(): string }; updatedAt: Date }>;
}

export function toUserDto({ id, name, gender, status, createdAt, updatedAt }: UserRow): UserDto {
  return { id, name, gender, status, createdAt, updatedAt };
}

export function toWalletDtos(row: UserRow): WalletDto[] {
  return (row.wallets ?? []).map(({ currency, balance, updatedAt }) => ({
    currency,
    balance: balance.toString(),
    updatedAt,
  }));
}
