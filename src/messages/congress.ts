export const congress = {} as const;
